using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payment.Domain;
using Payment.Infrastructure;

namespace Payment.Api;

/// <summary>
/// Reads for the saga and operators, and the operator's refund. Payments are created only by events: there is no
/// "charge" endpoint, so the inbox and the order-id key guard every charge.
/// </summary>
public static class PaymentEndpoints
{
    public const int DefaultListLimit = 100;
    public const int MaxListLimit = 500;

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/payments/{orderId}", GetAsync)
            .RequireAuthorization(PaymentReaderPolicy.Name)
            .WithTags("payments")
            .WithName("GetPayment")
            .WithSummary("The payment of an order (internal callers such as ordering, or admins).")
            .ProducesDefaultProblems()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        var admin = endpoints.MapGroup("/admin/payments")
            .RequireAuthorization(Policies.Admin)
            .WithTags("admin")
            .ProducesDefaultProblems()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        admin.MapGet("", ListAsync)
            .WithName("ListPayments")
            .WithSummary("Payments, latest change first, optionally of one status.");
        admin.MapPost("/{orderId}/refund", RefundAsync)
            .WithName("RefundPayment")
            .WithSummary("Refund a captured payment once; repeating it answers the refunded payment again.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetAsync(
        string orderId, PaymentDbContext db, CancellationToken ct)
    {
        var response = await LoadAsync(db, orderId, ct);
        return response is null ? ApiProblems.NotFound($"Order {orderId} has no payment.") : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<PaymentResponse[]>, ValidationProblem>> ListAsync(
        PaymentDbContext db, CancellationToken ct, string? status = null, int? limit = null)
    {
        PaymentStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<PaymentStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return ApiProblems.Validation("status", $"must be one of {string.Join(", ", Enum.GetNames<PaymentStatus>())}");
            filter = parsed;
        }

        var take = limit ?? DefaultListLimit;
        if (take is < 1 or > MaxListLimit)
            return ApiProblems.Validation("limit", $"must lie between 1 and {MaxListLimit}");

        var query = db.Payments.AsNoTracking();
        if (filter is { } wanted)
            query = query.Where(p => p.Status == wanted);
        var payments = await query.OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.OrderId).Take(take).ToListAsync(ct);
        var ids = payments.Select(p => p.OrderId).ToList();
        var transactions = (await db.Transactions.AsNoTracking().Where(t => ids.Contains(t.OrderId)).ToListAsync(ct))
            .ToLookup(t => t.OrderId);
        return TypedResults.Ok(payments.Select(p => PaymentResponse.From(p, transactions[p.OrderId])).ToArray());
    }

    private static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> RefundAsync(
        string orderId, PaymentProcessor processor, PaymentDbContext db, CancellationToken ct)
    {
        var outcome = await processor.RefundAsync(orderId, "refunded by an operator", ct);
        return outcome switch
        {
            null => ApiProblems.NotFound($"Order {orderId} has no payment."),
            RefundOutcome.NotRefundable refused => ApiProblems.Conflict(
                $"The payment of order {orderId} is {refused.Payment.Status}: no money was taken, so there is nothing to refund."),
            _ => TypedResults.Ok((await LoadAsync(db, orderId, ct))!),
        };
    }

    private static async Task<PaymentResponse?> LoadAsync(PaymentDbContext db, string orderId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.OrderId == orderId, ct);
        if (payment is null)
            return null;
        var transactions = await db.Transactions.AsNoTracking().Where(t => t.OrderId == orderId).ToListAsync(ct);
        return PaymentResponse.From(payment, transactions);
    }
}
