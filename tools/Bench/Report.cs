using System.Globalization;
using System.Text;

namespace Bench;

/// <summary>The benchmark's tables (printed and written to results.md). Every rate is in successful holds (201).</summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<ScenarioResult> results, string[] args, TimeSpan total)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.AppendLine(text);
        var command = "dotnet run -c Release --project tools/Bench" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
        Line(string.Create(Inv, $"# Hold benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {total.TotalSeconds:0} s in all"));
        Line();
        Line($"Every figure below comes from this one run of `{command}`. Load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}.");
        Line();
        Line("Hops of a hold: HTTP → tester sidecar → reservation's sidecar → reservation → its sidecar → Redis. Each hold is quantity 1 " +
             "with its own Idempotency-Key and a buyer of its own (≤ 10 holds per buyer, so the per-customer caps stay on and never refuse). " +
             "**holds/s counts 201s only**; the other answers are shown beside it as count (rate/s). " +
             "`relay` = a no-op invocation, tester sidecar → baseline app's sidecar → baseline app; `unsafe` = read-check-write without ETag in " +
             "the baseline app, through the same hops (tools/Bench.Baseline, benchmark only).");
        Line();
        Line("| strategy | coalescing | scenario | load | attempts | **holds/s** | attempts/s | sold out | busy | busy while seats remain | limited | errors | oversold (store) | oversold (answers) | undersold | conflicts/success | retries/success | p50 ms | p99 ms | p99.9 ms |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            string Count(Outcome o) => r.Tally[o] == 0 ? "0" : string.Create(Inv, $"{r.Tally[o]} ({r.Rate(o):0}/s)");
            Line(string.Create(Inv,
                $"| {r.Strategy} | {r.Coalesce} | {r.Scenario} | {r.Load} | {r.Tally.Attempts} | **{r.Throughput:0}** ({r.Succeeded}) | {r.Tally.Attempts / r.Tally.Seconds:0} | {Count(Outcome.SoldOut)} | {Count(Outcome.Busy)} | {r.Tally.BusyWithSeats} | {r.Tally[Outcome.Limited]} | {Count(Outcome.Error)} | {r.OversoldStore} | {r.OversoldAnswers} | {r.Undersold} | {r.PerSuccess(r.Contention.Conflicts):0.00} | {r.PerSuccess(r.Retries):0.00} | {r.Ms(50):0.0} | {r.Ms(99):0.0} | {r.Ms(99.9):0.0} |"));
        }

        Ratios(results, Line);
        Cpu(results, Line);
        Line();
        Line("Definitions: see docs/concurrency.md, Measurements.");
        return md.ToString();
    }

    private static void Ratios(IReadOnlyList<ScenarioResult> results, Action<string> line)
    {
        var relay = results.FirstOrDefault(r => r.Strategy == "relay");
        line("");
        line("Ratios in successful holds/s (BRIEF §5 bars):");
        line("");
        line("| strategy | coalescing | hot ÷ spread (≥ 70%) | spread ÷ relay (≥ 50%) | busy while seats remain, hot (0) |");
        line("|---|---|---|---|---|");
        foreach (var group in results.Where(r => r.Scenario is "spread" or "hot-slot" && r.Strategy != "unsafe").GroupBy(r => (r.Strategy, r.Coalesce)))
        {
            var hot = group.Single(r => r.Scenario == "hot-slot");
            var spread = group.Single(r => r.Scenario == "spread");
            var toRelay = relay is null ? "–" : Percent(spread.Throughput / relay.Throughput);
            line(string.Create(Inv, $"| {group.Key.Strategy} | {group.Key.Coalesce} | {Percent(hot.Throughput / spread.Throughput)} | {toRelay} | {hot.Tally.BusyWithSeats} |"));
        }

        var fills = results.Where(r => r.Scenario.StartsWith("fill ", StringComparison.Ordinal)).ToList();
        if (fills.Count > 1)
        {
            line("");
            line("| fill sweep | holds/s | ÷ first fill (≥ 85% at 90,000 of 100,000) | p99 ms | busy while seats remain |");
            line("|---|---|---|---|---|");
            foreach (var f in fills)
                line(string.Create(Inv, $"| {f.Strategy}/{f.Coalesce}, {f.Scenario} | {f.Throughput:0} | {Percent(f.Throughput / fills[0].Throughput)} | {f.Ms(99):0.0} | {f.Tally.BusyWithSeats} |"));
        }

        var open = results.Where(r => r.Scenario.StartsWith("open loop", StringComparison.Ordinal)).ToList();
        if (open.Count > 0)
        {
            line("");
            line("| open loop (CO-corrected) | offered | holds/s | p50 ms | p99 ms (≤ 50 at 50%) | p99.9 ms | busy | errors |");
            line("|---|---|---|---|---|---|---|---|");
            foreach (var r in open)
                line(string.Create(Inv, $"| {r.Strategy}/{r.Coalesce}, {r.Scenario} | {r.Load} | {r.Throughput:0} | {r.Ms(50):0.0} | {r.Ms(99):0.0} | {r.Ms(99.9):0.0} | {r.Tally[Outcome.Busy]} | {r.Tally[Outcome.Error]} |"));
        }

        var two = results.FirstOrDefault(r => r.Scenario.Contains("2 instances", StringComparison.Ordinal));
        var one = two is null ? null : results.First(r => r.Strategy == two.Strategy && r.Coalesce == two.Coalesce && r.Scenario == "hot-slot");
        if (two is not null && one is not null)
        {
            line("");
            line(string.Create(Inv,
                $"Two instances ({two.Strategy}/{two.Coalesce}): {two.Throughput:0} holds/s vs {one.Throughput:0} on one instance = {Percent(two.Throughput / one.Throughput)} (bar ≥ 100%); busy while seats remain {two.Tally.BusyWithSeats} (bar 0); conflicts/success {two.PerSuccess(two.Contention.Conflicts):0.00}."));
        }
    }

    private static void Cpu(IReadOnlyList<ScenarioResult> results, Action<string> line)
    {
        line("");
        line("CPU ms per successful hold, by process (user + system from /proc/<pid>/stat over the scenario). " +
             "`bench+sidecars` is this process: the load generator **and every local sidecar** (DaprSystem hosts them in-process), " +
             "so the sidecars' share cannot be separated from the load generator's; `reservation`, `catalog`, `baseline` and `redis` are " +
             "their own processes (all instances of a role summed). The last column is CPU the machine spent on processes that are not this run's " +
             "during the scenario, in cores (of " + Environment.ProcessorCount + "): where it is not ~0, other work shared the machine and every figure of that row is lower than the system alone would give.");
        line("");
        line("| strategy | coalescing | scenario | " + string.Join(" | ", ProcessCpu.Roles) + " | total | other processes on the machine (cores busy) |");
        line("|---|---|---|" + string.Concat(ProcessCpu.Roles.Select(_ => "---|")) + "---|---|");
        foreach (var r in results)
        {
            var cells = ProcessCpu.Roles.Select(role => r.CpuMsPerHold(role).ToString("0.00", Inv));
            var sum = ProcessCpu.Roles.Sum(role => r.Cpu[role]) * 1000 / Math.Max(1, r.Succeeded);
            line(string.Create(Inv, $"| {r.Strategy} | {r.Coalesce} | {r.Scenario} | {string.Join(" | ", cells)} | {sum:0.00} | {r.Cpu[ProcessCpu.Others] / r.Tally.Seconds:0.00} |"));
        }
    }

    private static string Percent(double ratio) => double.IsFinite(ratio) ? ratio.ToString("P0", Inv) : "–";
}
