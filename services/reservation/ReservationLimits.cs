using System.ComponentModel.DataAnnotations;

namespace Reservation;

/// <summary>
/// Abuse limits, section "Reservation:Limits", validated on start. They bound what one customer can take out of
/// circulation and how much memory and state anonymous traffic can make this service keep.
/// </summary>
public sealed class ReservationLimits
{
    public const string SectionName = ReservationOptions.SectionName + ":Limits";

    /// <summary>
    /// Most quantity one customer may hold (active or confirming, not booked) on one slot; 0 turns the cap off.
    /// Checked inside the slot's guarded write, so concurrent requests of one customer cannot pass it together.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxHeldPerSlot { get; set; } = 10;

    /// <summary>
    /// Most quantity one customer may hold across all slots; 0 turns the cap off. Counted in one state key per
    /// customer written under first-write-wins ETags before the slot is touched.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxHeldPerCustomer { get; set; } = 50;

    /// <summary>Most released or expired holds a slot keeps for idempotent replays; the oldest go first.</summary>
    [Range(0, 100_000)]
    public int MaxSettledPerSlot { get; set; } = 500;

    /// <summary>How many known slot ids this instance remembers (unknown ids are never remembered).</summary>
    [Range(1, 10_000_000)]
    public int KnownSlots { get; set; } = 10_000;

    /// <summary>A known slot id nobody asked about for this long is forgotten (and looked up again when needed).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan KnownSlotIdle { get; set; } = TimeSpan.FromMinutes(10);
}
