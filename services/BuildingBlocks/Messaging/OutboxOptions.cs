using System.ComponentModel.DataAnnotations;

namespace DaprReservations.BuildingBlocks.Messaging;

/// <summary>Settings of the outbox relay and the inbox (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often the relay looks for work when no commit has signalled it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Partitions published at once; within a partition, events go one after another.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 16;

    /// <summary>
    /// Relay passes in flight at once per process, each claiming its own rows: new commits start publishing while an
    /// earlier pass still waits for its slowest publish.
    /// </summary>
    [Range(1, 32)]
    public int Passes { get; set; } = 4;

    /// <summary>After this many failed publishes a message is marked poisoned and skipped.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a relay instance owns the rows it claimed (longer than one publish batch takes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Published outbox rows and inbox rows are deleted after this; the inbox must outlive any redelivery.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
