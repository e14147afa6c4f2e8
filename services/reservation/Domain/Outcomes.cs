namespace Reservation.Domain;

public abstract record PlaceHoldOutcome
{
    /// <summary>A hold exists for the request; <paramref name="Replayed"/> when the Idempotency-Key was seen before.</summary>
    public sealed record Placed(Hold Hold, bool Replayed) : PlaceHoldOutcome;

    public sealed record SoldOut(int Available) : PlaceHoldOutcome;

    /// <summary>The customer already holds <paramref name="Held"/> on this slot; the request would pass <paramref name="Limit"/>.</summary>
    public sealed record CustomerLimit(int Held, int Limit) : PlaceHoldOutcome;

    /// <summary>
    /// The customer already holds <paramref name="Held"/> across all slots; the request would pass <paramref name="Limit"/>.
    /// The earliest of those holds runs out after <paramref name="RetryAfter"/> (or sooner, when one is released).
    /// </summary>
    public sealed record CustomerTotalLimit(int Held, int Limit, TimeSpan RetryAfter) : PlaceHoldOutcome;
}

/// <summary>The hold whose quantity this release returned, or null when it returned nothing (unknown or settled).</summary>
public sealed record ReleaseOutcome(Hold? Released, ReleaseReason Reason)
{
    public bool ReturnedQuantity => Released is not null;
}

public abstract record BeginConfirmOutcome
{
    /// <summary>The hold is reserved for this confirm; the ledger write must carry <paramref name="Token"/>.</summary>
    public sealed record Fenced(Hold Hold, long Token) : BeginConfirmOutcome;

    public sealed record AlreadyConfirmed(Hold Hold) : BeginConfirmOutcome;

    public sealed record Refused(ConfirmRefusal Reason, Hold? Hold) : BeginConfirmOutcome;
}

public enum ConfirmRefusal
{
    Unknown,
    Expired,
    Released,
}

/// <summary>The hold a ledger answer settled (null: it was not confirming any more, nothing changed).</summary>
public sealed record SettleOutcome(Hold? Hold);
