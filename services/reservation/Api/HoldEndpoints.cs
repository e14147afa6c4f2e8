using DaprReservations.BuildingBlocks.Edge;
using DaprReservations.BuildingBlocks.OpenApi;
using System.Security.Claims;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Mvc;
using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.Ledger;
using Reservation.Infrastructure.State;

namespace Reservation.Api;

public static class HoldEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapHoldEndpoints(this IEndpointRouteBuilder app)
    {
        // Customers place, read and release their own holds (another customer's hold is a 404, as if it did not
        // exist); confirm and revoke are saga steps only the ordering service may call through its Dapr sidecar.
        var holds = app.MapGroup("/holds").WithTags("Holds").ProducesDefaultProblems()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

        holds.MapPost("/", PlaceAsync)
            .PublicAtEdge()
            .RequireAuthorization(Policies.Customer)
            .Produces<HoldResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Hold quantity on a slot for a limited time (idempotent per Idempotency-Key). 409 reason " +
                "sold-out or customer-limit (the per-slot cap); 429 reason customer-total-limit (the overall cap) with Retry-After.");
        holds.MapGet("/{holdId}", GetAsync)
            .PublicAtEdge()
            .RequireAuthorization(Policies.CustomerOrInternal)
            .Produces<HoldResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("A hold and its status (active, confirming, confirmed, released, expired).");
        holds.MapDelete("/{holdId}", ReleaseAsync)
            .PublicAtEdge()
            .RequireAuthorization(Policies.CustomerOrInternal)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Release a hold (reason: cancelled); releasing twice is harmless.");
        holds.MapPost("/{holdId}/confirm", ConfirmAsync)
            .RequireAuthorization(Policies.Internal)
            .Produces<HoldResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Internal (ordering): turn a hold into a booking in the SQL ledger; 409 if it expired, was released or SQL refuses.");
        holds.MapPost("/{holdId}/revoke", RevokeAsync)
            .RequireAuthorization(Policies.Internal)
            .Produces<HoldResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Internal (ordering): compensation — release an active hold or revoke its booking; repeating it is harmless.");
        return app;
    }

    private static async Task<IResult> PlaceAsync(
        PlaceHoldRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        HoldService service, HttpContext http, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = Validation.Check(request, idempotencyKey);
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        return await Guard.RunAsync(async () =>
        {
            var outcome = await service.PlaceAsync(request.SlotId!, request.Quantity!.Value, idempotencyKey, user.CustomerId(), ct);
            switch (outcome)
            {
                case PlaceHoldOutcome.Placed placed:
                    if (placed.Replayed)
                        http.Response.Headers["Idempotent-Replayed"] = "true";
                    return TypedResults.Created($"/holds/{placed.Hold.HoldId}", HoldResponse.From(request.SlotId!, placed.Hold));
                case PlaceHoldOutcome.SoldOut soldOut:
                    var problem = ApiProblems.Conflict($"Only {soldOut.Available} left on slot {request.SlotId}.");
                    problem.ProblemDetails.Extensions["reason"] = "sold-out";
                    problem.ProblemDetails.Extensions["available"] = soldOut.Available;
                    return problem;
                case PlaceHoldOutcome.CustomerLimit cap:
                    var perSlot = ApiProblems.Conflict(
                        $"You hold {cap.Held} on slot {request.SlotId}; one customer may hold at most {cap.Limit} there.");
                    return WithLimit(perSlot.ProblemDetails, "customer-limit", cap.Held, cap.Limit, perSlot);
                case PlaceHoldOutcome.CustomerTotalLimit total:
                    // 429: a quota on what this customer may have out at once; it frees up by itself (Retry-After: when
                    // the first of their holds runs out) or sooner when they release or order one.
                    var overall = ApiProblems.TooManyRequests(total.RetryAfter,
                        $"You hold {total.Held} across all slots; one customer may hold at most {total.Limit} at a time.");
                    return WithLimit(overall.ProblemDetails, "customer-total-limit", total.Held, total.Limit, overall);
                default:
                    throw new InvalidOperationException($"Unexpected outcome {outcome}.");
            }
        });
    }

    private static async Task<IResult> GetAsync(
        string holdId, HoldService service, IServiceProvider services, HoldAccess access, CancellationToken ct)
    {
        if (!Validation.IsId(holdId))
            return ApiProblems.Validation("holdId", "Not a hold id.");
        var slotId = await service.FindSlotAsync(holdId, ct);
        if (slotId is null)
            return ApiProblems.NotFound($"No hold {holdId}.");

        var hold = await service.GetAsync(slotId, holdId, ct);
        if (hold is not null)
            return access.MaySee(hold) ? TypedResults.Ok(HoldResponse.From(slotId, hold)) : ApiProblems.NotFound($"No hold {holdId}.");

        // Forgotten by the hot store (tombstone retention, Redis loss): the ledger still knows bookings, not owners.
        var booked = access.ActsForAnyone && await services.GetRequiredService<BookingLedger>().IsBookedAsync(holdId, ct);
        return booked
            ? TypedResults.Ok(new HoldResponse(holdId, slotId, 0, default, "confirmed", null))
            : ApiProblems.NotFound($"Hold {holdId} is no longer known.");
    }

    private static async Task<IResult> ReleaseAsync(string holdId, HoldService service, HoldAccess access, CancellationToken ct)
    {
        if (!Validation.IsId(holdId))
            return ApiProblems.Validation("holdId", "Not a hold id.");
        var slotId = await service.FindSlotAsync(holdId, ct);
        if (slotId is null)
            return ApiProblems.NotFound($"No hold {holdId}.");
        if (!access.ActsForAnyone && await service.GetAsync(slotId, holdId, ct) is { } current && !access.MaySee(current))
            return ApiProblems.NotFound($"No hold {holdId}.");

        return await Guard.RunAsync(async () =>
        {
            var hold = await service.ReleaseAsync(slotId, holdId, ct);
            return hold switch
            {
                null => ApiProblems.NotFound($"Hold {holdId} is no longer known."),
                { Status: HoldStatus.Confirmed or HoldStatus.Confirming } =>
                    ApiProblems.Conflict($"Hold {holdId} is {hold.Status.ToString().ToLowerInvariant()}; it cannot be released."),
                _ => TypedResults.NoContent(),
            };
        });
    }

    private static async Task<IResult> ConfirmAsync(string holdId, HoldService service, CancellationToken ct)
    {
        if (!Validation.IsId(holdId))
            return ApiProblems.Validation("holdId", "Not a hold id.");
        var slotId = await service.FindSlotAsync(holdId, ct);
        if (slotId is null)
            return ApiProblems.NotFound($"No hold {holdId}.");

        return await Guard.RunAsync(async () => await service.ConfirmAsync(slotId, holdId, ct) switch
        {
            ConfirmResult.Confirmed confirmed => TypedResults.Ok(HoldResponse.From(slotId, confirmed.Hold)),
            ConfirmResult.Refused refused => Refusal(holdId, refused.Reason),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
        });
    }

    private static async Task<IResult> RevokeAsync(string holdId, HoldService service, CancellationToken ct)
    {
        if (!Validation.IsId(holdId))
            return ApiProblems.Validation("holdId", "Not a hold id.");
        var slotId = await service.FindSlotAsync(holdId, ct);
        if (slotId is null)
            return ApiProblems.NotFound($"No hold {holdId}.");

        return await Guard.RunAsync(async () => await service.ReleaseOrRevokeAsync(slotId, holdId, ct) is { } hold
            ? TypedResults.Ok(HoldResponse.From(slotId, hold))
            : ApiProblems.NotFound($"Hold {holdId} is no longer known."));
    }

    private static IResult WithLimit(ProblemDetails problem, string reason, int held, int limit, IResult result)
    {
        problem.Extensions["reason"] = reason;
        problem.Extensions["held"] = held;
        problem.Extensions["limit"] = limit;
        return result;
    }

    private static IResult Refusal(string holdId, string reason)
    {
        var problem = ApiProblems.Conflict($"Hold {holdId} cannot be confirmed: {reason}.");
        problem.ProblemDetails.Extensions["reason"] = reason;
        return problem;
    }
}

/// <summary>Maps expected failures to their answers: 404 unknown slot, 503 contention or an unavailable dependency.</summary>
internal static class Guard
{
    public static async Task<IResult> RunAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (SlotNotFoundException notFound)
        {
            return ApiProblems.NotFound(notFound.Message);
        }
        catch (SlotContentionException contention)
        {
            return ApiProblems.ServiceUnavailable(contention.RetryAfter, contention.Message);
        }
        catch (Exception dependency) when (dependency is HttpRequestException or Dapr.DaprException)
        {
            // The catalog or the sidecar is unreachable: the client did nothing wrong and may retry shortly.
            return ApiProblems.ServiceUnavailable(TimeSpan.FromSeconds(2), "A dependency (catalog or Dapr sidecar) is unavailable.");
        }
    }
}
