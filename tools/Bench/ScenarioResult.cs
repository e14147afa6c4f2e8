using HdrHistogram;

namespace Bench;

/// <summary>One row of the report: what a scenario did to one strategy, and what the store says afterwards.</summary>
public sealed record ScenarioResult(
    string Strategy,
    string Scenario,
    int Clients,
    int Attempts,
    int Succeeded,
    int SoldOut,
    int Busy,
    int Errors,
    long Oversold,
    long Undersold,
    double Seconds,
    LongHistogram Latency,
    long Conflicts,
    long Retries)
{
    public double Throughput => Attempts / Seconds;

    public double Ms(double percentile) =>
        Latency.TotalCount == 0 ? 0 : Latency.GetValueAtPercentile(percentile) / (double)TimeSpan.TicksPerMillisecond;

    public double ConflictsPerSuccess => Succeeded == 0 ? 0 : (double)Conflicts / Succeeded;

    public double RetriesPerSuccess => Succeeded == 0 ? 0 : (double)Retries / Succeeded;
}
