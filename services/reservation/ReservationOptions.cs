using System.ComponentModel.DataAnnotations;

namespace Reservation;

/// <summary>Every knob of the reservation service, section "Reservation", validated on start.</summary>
public sealed class ReservationOptions
{
    public const string SectionName = "Reservation";

    /// <summary>How a slot's read-modify-write is protected: <c>etag</c> (default), <c>lock</c> or <c>actor</c>.</summary>
    [Required, RegularExpression("^(etag|lock|actor)$", ErrorMessage = "Strategy must be etag, lock or actor.")]
    public string Strategy { get; set; } = "etag";

    /// <summary>How long a hold reserves its quantity.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts of one slot write (conflicts, busy lock) before answering 503 with Retry-After.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Base of the full-jitter exponential backoff between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Cap of one backoff delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Group commit: concurrent decisions on one slot inside this instance share one read and one write.</summary>
    public bool Coalesce { get; set; } = true;

    /// <summary>Most decisions one group commit applies.</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>Lease of the slot lock (whole seconds; the lock API has no renewal, so keep the work under it short).</summary>
    [Range(1, 60)]
    public int LockLeaseSeconds { get; set; } = 5;

    /// <summary>How often the sweeper expires holds in slots nobody writes to.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after its expiry an abandoned confirm is settled from the ledger by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ConfirmGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long settled holds are kept in the slot to answer retries the same way.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>What Retry-After says when the contention budget is exhausted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ContentionRetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
