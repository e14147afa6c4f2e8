using System.Text.RegularExpressions;
using DaprReservations.BuildingBlocks.Contracts;

namespace Payment.Domain;

/// <summary>What a payment request or closure must look like before any decision is taken on it.</summary>
public static partial class PaymentRules
{
    /// <summary>The column width (ids are <see cref="SagaIds.IssuedIdLength"/> characters; the column leaves room).</summary>
    public const int OrderIdMaxLength = 64;
    public const int CustomerIdMaxLength = SagaIds.CustomerIdMaxLength;
    public const int ReasonMaxLength = 256;
    public const int AmountDecimals = 2;

    /// <summary>
    /// Fifteen significant digits: within decimal(18,2), and small enough that SQLite's REAL column (a double) stores
    /// every such amount exactly.
    /// </summary>
    public const decimal MaxAmount = 9_999_999_999_999.99m;

    /// <summary>A charge: well-formed ids, a positive amount (nothing to charge is no charge), a currency code.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(PaymentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        CheckIds(errors, request.OrderId, request.CustomerId);
        CheckAmount(errors, request.Amount);
        if (request.Amount == 0 && !errors.ContainsKey("amount"))
            errors["amount"] = ["must be positive: there is nothing to charge"];
        if (request.Currency is null || !CurrencyCode().IsMatch(request.Currency))
            errors["currency"] = ["must be an ISO 4217 code of three capital letters"];
        return errors;
    }

    /// <summary>A closure may carry 0: an order closed before it was priced into a payment voids nothing but its request.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(OrderClosure closure)
    {
        var errors = new Dictionary<string, string[]>();
        CheckIds(errors, closure.OrderId, closure.CustomerId);
        CheckAmount(errors, closure.Amount);
        return errors;
    }

    /// <summary>
    /// What a request must match of the order ordering placed (read back from ordering, never from the event): same
    /// customer, amount and currency, and the order waiting for its payment. Empty when it matches; otherwise one line
    /// per difference, for the log.
    /// </summary>
    public static IReadOnlyList<string> Differences(PaymentRequest request, PlacedOrder? order)
    {
        if (order is null)
            return ["ordering has no such order"];
        var differences = new List<string>();
        if (!string.Equals(order.OrderId, request.OrderId, StringComparison.Ordinal))
            differences.Add("ordering answered for another order id");
        if (!string.Equals(order.CustomerId, request.CustomerId, StringComparison.Ordinal))
            differences.Add("customer differs from the order's");
        if (order.Amount != request.Amount)
            differences.Add($"amount {request.Amount} but the order's total is {order.Amount}");
        if (!string.Equals(order.Currency, request.Currency, StringComparison.Ordinal))
            differences.Add($"currency {request.Currency} but the order's is {order.Currency}");
        if (!string.Equals(order.Status, PlacedOrder.AwaitingPayment, StringComparison.Ordinal))
            differences.Add($"the order is {order.Status}, not waiting for a payment");
        return differences;
    }

    // One id validator for every event payment reads (SagaIds): order ids only as ordering issues them.
    private static void CheckIds(Dictionary<string, string[]> errors, string? orderId, string? customerId)
    {
        if (!SagaIds.IsOrderId(orderId))
            errors["orderId"] = [$"must be an order id as ordering issues them: {SagaIds.IssuedIdLength} lowercase hex digits"];
        if (!SagaIds.IsCustomerId(customerId))
            errors["customerId"] = [$"is required: 1 to {CustomerIdMaxLength} printable characters, no control characters"];
    }

    private static void CheckAmount(Dictionary<string, string[]> errors, decimal amount)
    {
        if (amount < 0 || amount > MaxAmount || decimal.Round(amount, AmountDecimals) != amount)
            errors["amount"] = [$"must be between 0 and {MaxAmount} with at most {AmountDecimals} decimals"];
    }

    /// <summary>Reasons come from other services and end up in a bounded column.</summary>
    public static string Clip(string reason) => reason.Length <= ReasonMaxLength ? reason : reason[..ReasonMaxLength];

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
