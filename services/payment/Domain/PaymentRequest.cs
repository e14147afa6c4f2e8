namespace Payment.Domain;

/// <summary>Charge an order once.</summary>
public sealed record PaymentRequest(string OrderId, string CustomerId, decimal Amount, string Currency);

/// <summary>The order reached a terminal status other than confirmed (cancelled, expired, failed).</summary>
public sealed record OrderClosure(string OrderId, string CustomerId, decimal Amount, string Status, string? Reason);

/// <summary>An order as ordering recorded it (read through service invocation): what a payment request must match.</summary>
public sealed record PlacedOrder(string OrderId, string CustomerId, decimal Amount, string Currency, string Status)
{
    /// <summary>Ordering's wire name of the one status in which an order may be charged.</summary>
    public const string AwaitingPayment = "awaitingPayment";
}

/// <summary>What the provider answered for a charge.</summary>
public sealed record GatewayDecision(bool Approved, string? DeclineReason)
{
    public static GatewayDecision Approve() => new(true, null);

    public static GatewayDecision Decline(string reason) => new(false, reason);
}

/// <summary>The payment provider: decides whether a charge goes through. It may take its time; callers never hold a transaction open around it.</summary>
public interface IPaymentGateway
{
    Task<GatewayDecision> AuthorizeAsync(PaymentRequest request, CancellationToken ct);
}
