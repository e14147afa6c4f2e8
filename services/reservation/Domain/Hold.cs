namespace Reservation.Domain;

public enum HoldStatus
{
    /// <summary>Reserves its quantity until <see cref="Hold.ExpiresAt"/>.</summary>
    Active,

    /// <summary>
    /// A confirm has been fenced and is writing the SQL ledger. It still counts against capacity and is not expired by
    /// the clock: the confirm decision was taken while the hold was valid, and only the ledger may settle it now.
    /// </summary>
    Confirming,

    /// <summary>Turned into a booking; its quantity now lives in <see cref="SlotState.Booked"/>.</summary>
    Confirmed,

    Released,
    Expired,

    /// <summary>A booking taken back by saga compensation (its order was cancelled or failed after the confirm).</summary>
    Revoked,
}

/// <summary>
/// A hold inside its slot's state. Settled holds (confirmed, released, expired) stay as tombstones until their original
/// expiry so a retried request (same Idempotency-Key, a second release, a second confirm) gets the same answer.
/// <see cref="CustomerId"/> is the owner: only they (or an internal caller) may see or change the hold.
/// </summary>
public sealed record Hold(
    string HoldId,
    int Quantity,
    DateTimeOffset ExpiresAt,
    string? IdempotencyKey,
    HoldStatus Status = HoldStatus.Active,
    long ConfirmToken = 0,
    string? CustomerId = null)
{
    /// <summary>True while the quantity is reserved but not yet booked.</summary>
    public bool IsHeld => Status is HoldStatus.Active or HoldStatus.Confirming;

    public bool IsSettled => !IsHeld;
}

public enum ReleaseReason
{
    Cancelled,
    Expired,

    /// <summary>A booking taken back by compensation.</summary>
    Revoked,
}
