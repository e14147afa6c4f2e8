using System.ComponentModel.DataAnnotations;

namespace Ordering;

/// <summary>Ordering's settings (section <c>Ordering</c>), validated at start.</summary>
public sealed class OrderingOptions
{
    public const string SectionName = "Ordering";

    [Required, RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "KRW";

    [Range(1, 50)]
    public int MaxHoldsPerOrder { get; set; } = 20;

    /// <summary>A hold with less time left than this is refused at order creation: payment could not finish in time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinHoldTimeLeft { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the sweeper looks for orders nobody is driving.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A paid order not confirmed after this is driven again by the sweeper (its event handler died).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Grace after an order's earliest hold expiry before the sweeper expires an unpaid order; a payment already in
    /// flight gets this long to land (it would be refunded anyway if it lands later).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A paid order's holds confirmed at once through the reservation service: an order's confirmation takes about one
    /// round trip instead of one per hold, while a 20-hold order cannot flood reservation.
    /// </summary>
    [Range(1, 64)]
    public int ConfirmParallelism { get; set; } = 8;

    /// <summary>Attempts for a transition that loses an optimistic-concurrency race (re-decided on fresh state).</summary>
    [Range(1, 20)]
    public int ConcurrencyAttempts { get; set; } = 5;
}
