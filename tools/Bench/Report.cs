using System.Globalization;
using System.Text;

namespace Bench;

/// <summary>The benchmark's output: a markdown table (printed and written) and a chart image.</summary>
public static class Report
{
    public static string Markdown(IReadOnlyList<ScenarioResult> results, BenchOptions options, TimeSpan total)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Hold benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {total.TotalSeconds:0} s in all");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Full stack: HTTP → tester sidecar → reservation → sidecar → Redis. hot-slot: 1 slot of capacity {options.HotCapacity}, {options.HotAttempts} holds; spread: {options.SpreadSlots} slots of capacity 100, {options.SpreadAttempts} holds; {options.Clients} concurrent clients; each hold quantity 1 with its own Idempotency-Key. `unsafe` = plain read-modify-write without ETag through the same sidecar (benchmark only).");
        md.AppendLine();
        md.AppendLine("| strategy | scenario | clients | attempts | succeeded | sold out | busy | errors | oversold | undersold | holds/s | p50 ms | p95 ms | p99 ms | conflicts/success | retries/success |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Strategy} | {r.Scenario} | {r.Clients} | {r.Attempts} | {r.Succeeded} | {r.SoldOut} | {r.Busy} | {r.Errors} | {r.Oversold} | {r.Undersold} | {r.Throughput:0} | {r.Ms(50):0.0} | {r.Ms(95):0.0} | {r.Ms(99):0.0} | {r.ConflictsPerSuccess:0.00} | {r.RetriesPerSuccess:0.00} |");
        }

        md.AppendLine();
        md.AppendLine("| strategy | hot-slot holds/s ÷ spread holds/s | bar ≥ 70% | hot-slot p99 ms | bar ≤ 50 ms |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var strategy in results.Where(r => r.Strategy != "unsafe").Select(r => r.Strategy).Distinct())
        {
            var hot = results.Single(r => r.Strategy == strategy && r.Scenario == "hot-slot");
            var spread = results.Single(r => r.Strategy == strategy && r.Scenario == "spread");
            var ratio = hot.Throughput / spread.Throughput;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {strategy} | {ratio:P0} | {(ratio >= 0.7 ? "met" : "not met")} | {hot.Ms(99):0.0} | {(hot.Ms(99) <= 50 ? "met" : "not met")} |");
        }

        return md.ToString();
    }

    public static void Chart(IReadOnlyList<ScenarioResult> results, string path)
    {
        var plot = new ScottPlot.Plot();
        var strategies = results.Select(r => r.Strategy).Distinct().ToList();
        var scenarios = new[] { "spread", "hot-slot" };
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<ScottPlot.Bar>();
        for (var s = 0; s < strategies.Count; s++)
        {
            for (var c = 0; c < scenarios.Length; c++)
            {
                var r = results.FirstOrDefault(x => x.Strategy == strategies[s] && x.Scenario == scenarios[c]);
                if (r is null)
                    continue;
                bars.Add(new ScottPlot.Bar
                {
                    Position = s * 3 + c,
                    Value = r.Throughput,
                    FillColor = palette.GetColor(c),
                    Label = $"{r.Throughput:0}/s\np99 {r.Ms(99):0} ms" + (r.Oversold > 0 ? $"\noversold {r.Oversold}" : ""),
                });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(strategies.Select((_, i) => i * 3 + 0.5).ToArray(), strategies.ToArray());
        plot.Title("Holds per second: spread (left) vs hot slot (right), 64 clients, full stack");
        plot.YLabel("holds / s");
        plot.Axes.Margins(bottom: 0, top: 0.25);
        plot.SavePng(path, 1000, 560);
    }
}
