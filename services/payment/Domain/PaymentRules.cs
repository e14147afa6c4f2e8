using System.Text.RegularExpressions;

namespace Payment.Domain;

/// <summary>What a payment request or closure must look like before any decision is taken on it.</summary>
public static partial class PaymentRules
{
    public const int OrderIdMaxLength = 64;
    public const int CustomerIdMaxLength = 128;
    public const int ReasonMaxLength = 256;
    public const int AmountDecimals = 2;

    /// <summary>
    /// Fifteen significant digits: within decimal(18,2), and small enough that SQLite's REAL column (a double) stores
    /// every such amount exactly.
    /// </summary>
    public const decimal MaxAmount = 9_999_999_999_999.99m;

    public static IReadOnlyDictionary<string, string[]> Validate(PaymentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        CheckIds(errors, request.OrderId, request.CustomerId);
        CheckAmount(errors, request.Amount);
        if (request.Currency is null || !CurrencyCode().IsMatch(request.Currency))
            errors["currency"] = ["must be an ISO 4217 code of three capital letters"];
        return errors;
    }

    public static IReadOnlyDictionary<string, string[]> Validate(OrderClosure closure)
    {
        var errors = new Dictionary<string, string[]>();
        CheckIds(errors, closure.OrderId, closure.CustomerId);
        CheckAmount(errors, closure.Amount);
        return errors;
    }

    private static void CheckIds(Dictionary<string, string[]> errors, string? orderId, string? customerId)
    {
        if (string.IsNullOrWhiteSpace(orderId) || orderId.Length > OrderIdMaxLength)
            errors["orderId"] = [$"is required, at most {OrderIdMaxLength} characters"];
        if (string.IsNullOrWhiteSpace(customerId) || customerId.Length > CustomerIdMaxLength)
            errors["customerId"] = [$"is required, at most {CustomerIdMaxLength} characters"];
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
