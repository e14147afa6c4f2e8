using DaprReservations.BuildingBlocks.Edge;
using System.Security.Claims;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Ordering.Application;
using Ordering.Domain;

namespace Ordering.Api;

public static class OrderEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        // Every order route is scoped to the signed-in customer: another customer's order is a 404. (Policies AND, so
        // the one route payment may also read takes its policy on its own instead of the group's.)
        var routes = app.MapGroup("/orders").WithTags("Orders").ProducesDefaultProblems().PublicAtEdge()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        var orders = routes.MapGroup("").RequireAuthorization(Policies.Customer);

        orders.MapPost("/", PlaceAsync)
            .Produces<OrderResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity,
                StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Order the caller's active holds (idempotent per Idempotency-Key). Status: pending.");
        orders.MapGet("/", ListAsync)
            .Produces<IReadOnlyList<OrderResponse>>()
            .WithSummary("The caller's orders, newest first.");
        // Also payment's read (an internal caller through its sidecar, no user token): it charges only what was placed.
        routes.MapGet("/{orderId}", GetAsync)
            .RequireAuthorization(Policies.CustomerOrInternal)
            .Produces<OrderResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("One of the caller's orders, with its ETag (internal callers: any order).");
        orders.MapPost("/{orderId}/pay", PayAsync)
            .Produces<OrderResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithSummary("Ask for payment (asynchronous: poll until confirmed, failed, expired or cancelled). Paying twice is one payment.");
        orders.MapPost("/{orderId}/cancel", CancelAsync)
            .Produces<OrderResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed)
            .WithSummary("Cancel (optional If-Match): a refund if paid, holds released or bookings revoked, asynchronously.");

        var admin = app.MapGroup("/admin").WithTags("Admin").ProducesDefaultProblems().PublicAtEdge()
            .RequireAuthorization(Policies.Admin)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        admin.MapGet("/orders", AdminListAsync).Produces<IReadOnlyList<OrderResponse>>()
            .WithSummary("Every customer's orders, newest first, optionally by status.");
        admin.MapPost("/sweep", async (OrderSweeper sweeper, CancellationToken ct) => TypedResults.Ok(new { touched = await sweeper.SweepAsync(ct) }))
            .WithSummary("Run one sweep now: expire unpaid orders whose holds ran out, drive stalled paid orders.");
        return app;
    }

    private static async Task<IResult> PlaceAsync(
        PlaceOrderRequest? request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        OrderService orders, ClaimsPrincipal user, HttpContext http, IOptions<OrderingOptions> options, CancellationToken ct)
    {
        var errors = Validation.Check(request, idempotencyKey, options.Value.MaxHoldsPerOrder);
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        return await Guard.RunAsync(async () =>
        {
            var result = await orders.PlaceAsync(user.CustomerId(), [.. request!.HoldIds!.Select(id => id!)], idempotencyKey, ct);
            switch (result)
            {
                case PlaceOrderResult.Created created:
                    if (created.Replayed)
                        http.Response.Headers["Idempotent-Replayed"] = "true";
                    http.Response.Headers.ETag = OrderResponse.ETagOf(created.Order);
                    return TypedResults.Created($"/orders/{created.Order.Id}", OrderResponse.From(created.Order));
                case PlaceOrderResult.KeyReused:
                    return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: "Idempotency-Key reused", detail: "This Idempotency-Key was used for a different set of holds.");
                case PlaceOrderResult.HoldRefused refused:
                    var problem = ApiProblems.Conflict($"Hold {refused.HoldId} cannot be ordered: {refused.Reason}.");
                    problem.ProblemDetails.Extensions["holdId"] = refused.HoldId;
                    problem.ProblemDetails.Extensions["reason"] = refused.Reason;
                    return problem;
                default:
                    throw new InvalidOperationException($"Unexpected result {result}.");
            }
        });
    }

    private static async Task<IResult> ListAsync(OrderService orders, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok((await orders.ListAsync(user.CustomerId(), null, 100, ct)).Select(OrderResponse.From).ToList());

    private static async Task<IResult> AdminListAsync(OrderService orders, string? status, CancellationToken ct)
    {
        OrderStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<OrderStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                return ApiProblems.Validation("status", "Unknown status.");
            filter = parsed;
        }

        return TypedResults.Ok((await orders.ListAsync(null, filter, 500, ct)).Select(OrderResponse.From).ToList());
    }

    private static async Task<IResult> GetAsync(
        string orderId, OrderService orders, ClaimsPrincipal user, HttpContext http, InternalCallers internalCallers, CancellationToken ct)
    {
        if (!Validation.IsId(orderId))
            return ApiProblems.Validation("orderId", "Not an order id.");
        var order = await orders.GetAsync(orderId, ct);
        // A caller with a user token is that user, wherever the call comes from; only a tokenless, verified internal
        // caller reads any order.
        var internalReader = user.Identity?.IsAuthenticated != true && internalCallers.IsVerified(http);
        if (!(internalReader ? order is not null : Visible(order, user)))
            return ApiProblems.NotFound($"No order {orderId}.");
        http.Response.Headers.ETag = OrderResponse.ETagOf(order!);
        return TypedResults.Ok(OrderResponse.From(order!));
    }

    private static async Task<IResult> PayAsync(string orderId, OrderService orders, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        if (!Validation.IsId(orderId))
            return ApiProblems.Validation("orderId", "Not an order id.");
        if (!Visible(await orders.GetAsync(orderId, ct), user))
            return ApiProblems.NotFound($"No order {orderId}.");

        var (order, result) = await orders.PayAsync(orderId, ct);
        return Answer(orderId, order, result, http, expiredIsConflict: true);
    }

    private static async Task<IResult> CancelAsync(
        string orderId, OrderService orders, ClaimsPrincipal user, HttpContext http,
        [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken ct)
    {
        if (!Validation.IsId(orderId))
            return ApiProblems.Validation("orderId", "Not an order id.");
        var current = await orders.GetAsync(orderId, ct);
        if (!Visible(current, user))
            return ApiProblems.NotFound($"No order {orderId}.");
        if (ifMatch is not null && ifMatch != "*" && ifMatch != OrderResponse.ETagOf(current!))
            return ApiProblems.PreconditionFailed($"Order {orderId} changed since that ETag was read.");

        var (order, result) = await orders.CancelAsync(orderId, ct);
        return Answer(orderId, order, result, http, expiredIsConflict: false);
    }

    private static IResult Answer(string orderId, Order? order, Transition? result, HttpContext http, bool expiredIsConflict)
    {
        if (order is null)
            return ApiProblems.NotFound($"No order {orderId}.");
        if (result is { IsIllegal: true })
        {
            var conflict = ApiProblems.Conflict(result.Error!);
            conflict.ProblemDetails.Extensions["status"] = order.Status.ToWire();
            return conflict;
        }

        if (expiredIsConflict && order.Status == OrderStatus.Expired)
        {
            var expired = ApiProblems.Conflict($"Order {orderId} expired: a hold ran out before payment.");
            expired.ProblemDetails.Extensions["status"] = order.Status.ToWire();
            return expired;
        }

        http.Response.Headers.ETag = OrderResponse.ETagOf(order);
        return TypedResults.Accepted($"/orders/{order.Id}", OrderResponse.From(order));
    }

    private static bool Visible(Order? order, ClaimsPrincipal user) =>
        order is not null && (order.CustomerId == user.FindFirstValue(ClaimNames.Subject) || user.IsAdmin());
}

/// <summary>Unreachable dependencies (reservation, catalog, the sidecar) are the server's problem, not the client's: 503.</summary>
internal static class Guard
{
    public static async Task<IResult> RunAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception dependency) when (dependency is HttpRequestException or Dapr.DaprException)
        {
            return ApiProblems.ServiceUnavailable(TimeSpan.FromSeconds(2), "A dependency (reservation, catalog or the Dapr sidecar) is unavailable.");
        }
    }
}
