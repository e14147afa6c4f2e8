using System.Diagnostics;
using HdrHistogram;

namespace Bench;

/// <summary>What one load run saw: answers by class, per slot where it matters, and latency in TimeSpan ticks.</summary>
public sealed record Tally(int[] Counts, double Seconds, LongHistogram Latency, int[] SucceededBySlot, int[] SoldOutBySlot, long BusyWithSeats)
{
    public int Attempts => Counts.Sum();

    public int this[Outcome outcome] => Counts[(int)outcome];
}

/// <summary>Closed-loop and open-loop load.</summary>
public static class LoadRunner
{
    private static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(5).Ticks, 3);

    /// <summary>
    /// Closed loop: <paramref name="clients"/> workers released together, each sending its next attempt when the last
    /// one is answered. <paramref name="room"/> is each slot's available quantity before the run, so a busy answer can
    /// be classed "while seats remain": certainly so when the 201s answered on that slot plus the requests still in
    /// flight on it are below that room (a lower bound), or for every busy answer when the slot never filled (exact:
    /// nothing is released during a run, so room only shrinks).
    /// </summary>
    public static async Task<Tally> ClosedAsync(int clients, int attempts, long[] room, Func<int, int> pickSlot,
        Func<int, int, Task<Outcome>> attempt)
    {
        var histogram = NewHistogram();
        var counts = new int[Enum.GetValues<Outcome>().Length];
        var (succeeded, soldOut, busy, busyCertain, inFlight) =
            (new int[room.Length], new int[room.Length], new int[room.Length], new int[room.Length], new int[room.Length]);
        var next = -1;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, clients).Select(async _ =>
        {
            await gate.Task;
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= attempts)
                    return;
                var slot = pickSlot(n);
                Interlocked.Increment(ref inFlight[slot]);
                var start = Stopwatch.GetTimestamp();
                var outcome = await SafeAsync(() => attempt(n, slot));
                var elapsed = Stopwatch.GetElapsedTime(start);
                Interlocked.Decrement(ref inFlight[slot]);
                lock (histogram)
                    histogram.RecordValue(elapsed.Ticks);
                Interlocked.Increment(ref counts[(int)outcome]);
                if (outcome == Outcome.Succeeded)
                    Interlocked.Increment(ref succeeded[slot]);
                else if (outcome == Outcome.SoldOut)
                    Interlocked.Increment(ref soldOut[slot]);
                else if (outcome == Outcome.Busy)
                {
                    Interlocked.Increment(ref busy[slot]);
                    if (Volatile.Read(ref succeeded[slot]) + Volatile.Read(ref inFlight[slot]) < room[slot])
                        Interlocked.Increment(ref busyCertain[slot]);
                }
            }
        }).ToList();

        var total = Stopwatch.StartNew();
        gate.SetResult();
        await Task.WhenAll(workers);
        var seconds = total.Elapsed.TotalSeconds;
        long busyWithSeats = 0;
        for (var s = 0; s < room.Length; s++)
            busyWithSeats += succeeded[s] < room[s] ? busy[s] : busyCertain[s];
        return new Tally(counts, seconds, histogram, succeeded, soldOut, busyWithSeats);
    }

    /// <summary>
    /// Open loop at a constant arrival rate on one slot: attempt i is due at start + i / rate whether or not earlier
    /// ones were answered, and its latency is measured from that due time, not from when it was sent, so a stalled
    /// system is charged for the requests it delayed (coordinated omission corrected).
    /// </summary>
    public static async Task<Tally> OpenAsync(double rate, double seconds, long room, Func<int, Task<Outcome>> attempt)
    {
        var histogram = NewHistogram();
        var counts = new int[Enum.GetValues<Outcome>().Length];
        var total = (int)(rate * seconds);
        var calls = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            // Sleep, never spin: spinning would take a core from the system under test on a 2-core machine. A request
            // sent up to a timer tick late is still measured from its due time.
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait);
            var n = i;
            calls.Add(Task.Run(async () =>
            {
                var outcome = await SafeAsync(() => attempt(n));
                var latency = clock.Elapsed - due;
                lock (histogram)
                    histogram.RecordValue(Math.Max(0, latency.Ticks));
                Interlocked.Increment(ref counts[(int)outcome]);
            }));
        }

        await Task.WhenAll(calls);
        var succeeded = counts[(int)Outcome.Succeeded];
        return new Tally(counts, clock.Elapsed.TotalSeconds, histogram, [succeeded], [counts[(int)Outcome.SoldOut]],
            succeeded < room ? counts[(int)Outcome.Busy] : 0);
    }

    private static async Task<Outcome> SafeAsync(Func<Task<Outcome>> attempt)
    {
        try
        {
            return await attempt();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Outcome.Error;
        }
    }
}
