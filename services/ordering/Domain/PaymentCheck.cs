namespace Ordering.Domain;

/// <summary>What a payment event claims about an order's payment.</summary>
public sealed record PaymentClaim(bool Succeeded, string? PaymentId, decimal? Amount, string? Currency)
{
    public static PaymentClaim Success(string paymentId, decimal amount, string? currency) => new(true, paymentId, amount, currency);

    public static PaymentClaim Failure(string? paymentId) => new(false, paymentId, null, null);
}

/// <summary>An order's payment as payment recorded it (read back from payment, never taken from an event).</summary>
public sealed record RecordedPayment(string OrderId, string PaymentId, string CustomerId, decimal Amount, string Currency, string Status)
{
    public const string Captured = "Captured";
    public const string Declined = "Declined";
    public const string Refunded = "Refunded";
}

/// <summary>
/// Whether a payment event may be believed: money is checked against what its owner recorded. An event is anyone's
/// word (a forged publish, a replay for another order); the order's total and currency (ordering's record) and the
/// payment's status, id and amount (payment's record) are the truth. Each method returns one line per difference,
/// empty when the event matches.
/// </summary>
public static class PaymentCheck
{
    /// <summary>Against the order alone: cheap, and decides without asking payment when the event already contradicts it.</summary>
    public static IReadOnlyList<string> AgainstOrder(Order order, PaymentClaim claim)
    {
        var differences = new List<string>();
        if (claim.Amount is { } amount && amount != order.Amount)
            differences.Add($"amount {amount} but the order's total is {order.Amount}");
        if (claim.Currency is { } currency && !string.Equals(currency, order.Currency, StringComparison.Ordinal))
            differences.Add($"currency {currency} but the order's is {order.Currency}");
        if (order.PaymentId is { } paidWith && claim.PaymentId is { } claimed && !string.Equals(paidWith, claimed, StringComparison.Ordinal))
            differences.Add("payment id differs from the one the order was paid with");
        return differences;
    }

    /// <summary>
    /// Against payment's record of the order. A success needs a captured payment of the order's total with the event's
    /// payment id (once the order is closed, a refunded one still proves the capture happened, so a late event is not
    /// dead-lettered); a failure needs a declined one.
    /// </summary>
    public static IReadOnlyList<string> AgainstRecord(Order order, PaymentClaim claim, RecordedPayment? recorded)
    {
        var differences = new List<string>(AgainstOrder(order, claim));
        if (recorded is null)
        {
            differences.Add("payment has no payment for this order");
            return differences;
        }

        if (!string.Equals(recorded.OrderId, order.Id, StringComparison.Ordinal))
            differences.Add("payment answered for another order");
        if (claim.PaymentId is { } claimed && !string.Equals(claimed, recorded.PaymentId, StringComparison.Ordinal))
            differences.Add("payment id differs from the one payment recorded");
        if (recorded.Amount != order.Amount)
            differences.Add($"payment recorded {recorded.Amount} but the order's total is {order.Amount}");
        if (!string.Equals(recorded.Currency, order.Currency, StringComparison.Ordinal))
            differences.Add($"payment recorded currency {recorded.Currency} but the order's is {order.Currency}");
        if (!string.Equals(recorded.CustomerId, order.CustomerId, StringComparison.Ordinal))
            differences.Add("payment recorded another customer");

        var statusFits = claim.Succeeded
            ? recorded.Status == RecordedPayment.Captured
              || (recorded.Status == RecordedPayment.Refunded && order.Status != OrderStatus.AwaitingPayment)
            : recorded.Status == RecordedPayment.Declined;
        if (!statusFits)
            differences.Add($"payment recorded the payment as {recorded.Status}");
        return differences;
    }
}
