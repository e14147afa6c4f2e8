namespace Bench;

/// <summary>
/// One row of the report: what a scenario did, what the answers and the service's own numbers say afterwards, and
/// the CPU each process spent. Every rate and ratio is in successful holds (201), never in attempts.
/// </summary>
public sealed record ScenarioResult(
    string Strategy,
    string Coalesce,
    string Scenario,
    string Load,
    Tally Tally,
    long OversoldStore,
    long OversoldAnswers,
    long Undersold,
    HoldClient.Stats Contention,
    Dictionary<string, double> Cpu)
{
    public int Succeeded => Tally[Outcome.Succeeded];

    /// <summary>Successful holds per second: the throughput users feel.</summary>
    public double Throughput => Succeeded / Tally.Seconds;

    public double Rate(Outcome outcome) => Tally[outcome] / Tally.Seconds;

    public double Ms(double percentile) =>
        Tally.Latency.TotalCount == 0 ? 0 : Tally.Latency.GetValueAtPercentile(percentile) / (double)TimeSpan.TicksPerMillisecond;

    public double PerSuccess(long count) => Succeeded == 0 ? double.NaN : (double)count / Succeeded;

    /// <summary>Retries: every repeated write attempt, ETag conflicts and busy locks alike.</summary>
    public long Retries => Contention.Conflicts + Contention.LockBusy;

    /// <summary>CPU milliseconds per successful hold spent by <paramref name="role"/>.</summary>
    public double CpuMsPerHold(string role) => Succeeded == 0 ? double.NaN : Cpu[role] * 1000 / Succeeded;

    public bool Broken => Strategy != "unsafe" && (OversoldStore > 0 || OversoldAnswers > 0 || Undersold > 0);
}
