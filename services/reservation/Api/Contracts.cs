using System.Text.RegularExpressions;
using Reservation.Domain;

namespace Reservation.Api;

public sealed record PlaceHoldRequest(string? SlotId, int? Quantity);

public sealed record HoldResponse(string HoldId, string SlotId, int Quantity, DateTimeOffset ExpiresAt, string Status, string? CustomerId)
{
    public static HoldResponse From(string slotId, Hold hold) =>
        new(hold.HoldId, slotId, hold.Quantity, hold.ExpiresAt, hold.Status.ToString().ToLowerInvariant(), hold.CustomerId);
}

public sealed record AvailabilityResponse(string SlotId, int Capacity, int Booked, int Held, int Available);

public static partial class Validation
{
    public const int MaxQuantity = 1_000;
    public const int MaxIdempotencyKeyLength = 128;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex IdPattern();

    public static Dictionary<string, string[]> Check(PlaceHoldRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsId(request.SlotId))
            errors["slotId"] = ["Required: 1-64 letters, digits, '-' or '_'."];
        if (request.Quantity is not (>= 1 and <= MaxQuantity))
            errors["quantity"] = [$"Required: a whole number from 1 to {MaxQuantity}."];
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
            errors["Idempotency-Key"] = [$"When present: 1-{MaxIdempotencyKeyLength} characters."];
        return errors;
    }

    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);
}
