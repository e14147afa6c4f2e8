using System.Diagnostics;
using HdrHistogram;

namespace Bench;

/// <summary>The outcome classes of one attempt.</summary>
public enum Outcome
{
    Succeeded,
    SoldOut,
    Busy,
    Error,
}

/// <summary>
/// Runs <c>attempts</c> calls from <c>clients</c> concurrent workers released together, recording each call's latency
/// (in ticks) and outcome.
/// </summary>
public static class LoadRunner
{
    public sealed record Tally(int Succeeded, int SoldOut, int Busy, int Errors, double Seconds, LongHistogram Latency);

    public static async Task<Tally> RunAsync(int clients, int attempts, Func<int, Task<Outcome>> attempt)
    {
        var histogram = new LongHistogram(TimeSpan.FromMinutes(1).Ticks, 3);
        var counts = new int[4];
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
                var start = Stopwatch.GetTimestamp();
                Outcome outcome;
                try
                {
                    outcome = await attempt(n);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    outcome = Outcome.Error;
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                lock (histogram)
                    histogram.RecordValue(elapsed.Ticks);
                Interlocked.Increment(ref counts[(int)outcome]);
            }
        }).ToList();

        var total = Stopwatch.StartNew();
        gate.SetResult();
        await Task.WhenAll(workers);
        return new Tally(counts[0], counts[1], counts[2], counts[3], total.Elapsed.TotalSeconds, histogram);
    }
}
