using System.Globalization;
using System.Text.RegularExpressions;
using Ordering.Domain;

namespace Ordering.Api;

public sealed record PlaceOrderRequest(IReadOnlyList<string?>? HoldIds);

public sealed record OrderLineResponse(string HoldId, string SlotId, int Quantity, decimal UnitPrice);

/// <summary>An order; <see cref="CustomerId"/> lets payment (an internal reader) match a charge to its customer.</summary>
public sealed record OrderResponse(
    string Id, string Status, IReadOnlyList<OrderLineResponse> Lines, decimal Amount, string Currency,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt, string? Reason, int Version, string CustomerId)
{
    public static OrderResponse From(Order order) => new(
        order.Id, order.Status.ToWire(),
        [.. order.Lines.Select(l => new OrderLineResponse(l.HoldId, l.SlotId, l.Quantity, l.UnitPrice))],
        order.Amount, order.Currency, order.CreatedAt, order.UpdatedAt, order.ExpiresAt, order.Reason, order.Version, order.CustomerId);

    /// <summary>A strong ETag from the version: <c>If-Match</c> on cancel compares against it.</summary>
    public static string ETagOf(Order order) => $"\"{order.Version.ToString(CultureInfo.InvariantCulture)}\"";
}

public static partial class Validation
{
    public const int MaxIdempotencyKeyLength = 128;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    public static Dictionary<string, string[]> Check(PlaceOrderRequest? request, string? idempotencyKey, int maxHolds)
    {
        var errors = new Dictionary<string, string[]>();
        var holdIds = request?.HoldIds;
        if (holdIds is null || holdIds.Count == 0 || holdIds.Count > maxHolds)
            errors["holdIds"] = [$"Required: 1 to {maxHolds} hold ids."];
        else if (holdIds.Any(id => !IsId(id)))
            errors["holdIds"] = ["Each hold id: 1-64 letters, digits, '-' or '_'."];
        else if (holdIds.Distinct(StringComparer.Ordinal).Count() != holdIds.Count)
            errors["holdIds"] = ["A hold can appear only once."];
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
            errors["Idempotency-Key"] = [$"When present: 1-{MaxIdempotencyKeyLength} characters."];
        return errors;
    }
}
