using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DaprReservations.BuildingBlocks.Telemetry;

namespace Reservation.Infrastructure.State;

/// <summary>
/// What contention costs: counters exported as metrics and readable in-process (GET /admin/stats) so the race tests
/// and the benchmark can report retries per success; and how large the per-slot and per-customer maps are now.
/// </summary>
public sealed class SlotStoreStats
{
    private static readonly Meter Meter = new(DaprReservationsTelemetry.MeterName);
    private static readonly Counter<long> ConflictCounter = Meter.CreateCounter<long>("reservation.slot.conflicts");
    private static readonly Counter<long> LockBusyCounter = Meter.CreateCounter<long>("reservation.slot.lock_busy");
    private static readonly Counter<long> WriteCounter = Meter.CreateCounter<long>("reservation.slot.writes");
    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>("reservation.slot.batch_size");

    private long writes;
    private long conflicts;
    private long lockBusy;
    private long batches;
    private long decisions;
    private long exhausted;
    private readonly ConcurrentDictionary<string, Func<int>> sizes = new(StringComparer.Ordinal);

    public void Write() { Interlocked.Increment(ref writes); WriteCounter.Add(1); }

    public void Conflict() { Interlocked.Increment(ref conflicts); ConflictCounter.Add(1); }

    public void LockBusy() { Interlocked.Increment(ref lockBusy); LockBusyCounter.Add(1); }

    public void Exhausted() => Interlocked.Increment(ref exhausted);

    /// <summary>Reports the size of an in-memory map keyed by client input (each must stay bounded).</summary>
    public void TrackSize(string name, Func<int> count) => sizes[name] = count;

    public void Batch(int size)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref decisions, size);
        BatchSize.Record(size);
    }

    public object Snapshot() => new
    {
        writes = Interlocked.Read(ref writes),
        conflicts = Interlocked.Read(ref conflicts),
        lockBusy = Interlocked.Read(ref lockBusy),
        exhausted = Interlocked.Read(ref exhausted),
        batches = Interlocked.Read(ref batches),
        decisions = Interlocked.Read(ref decisions),
        sizes = sizes.ToDictionary(size => size.Key, size => size.Value()),
    };
}
