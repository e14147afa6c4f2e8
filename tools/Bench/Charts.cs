namespace Bench;

/// <summary>The report's charts (PNG), all in successful holds/s or CO-corrected latency of the same run.</summary>
public static class Charts
{
    public static void Write(IReadOnlyList<ScenarioResult> results, string directory)
    {
        Throughput(results, Path.Combine(directory, "throughput.png"));
        var fills = results.Where(r => r.Scenario.StartsWith("fill ", StringComparison.Ordinal)).ToList();
        if (fills.Count > 0)
            Fill(fills, Path.Combine(directory, "fill.png"));
        var open = results.Where(r => r.Scenario.StartsWith("open loop", StringComparison.Ordinal)).ToList();
        if (open.Count > 0)
            OpenLoop(open, Path.Combine(directory, "open-loop.png"));
    }

    /// <summary>Spread and hot per strategy × coalescing, then the relay floor and the unsafe baseline.</summary>
    private static void Throughput(IReadOnlyList<ScenarioResult> results, string path)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var groups = results.Where(r => r.Scenario is "spread" or "hot-slot" or "no-op" or "hot-slot, 2 instances")
            .GroupBy(r => $"{r.Strategy}\n{r.Coalesce}").ToList();
        var bars = new List<ScottPlot.Bar>();
        string[] kinds = ["spread", "hot-slot", "hot-slot, 2 instances", "no-op"];
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var r in groups[g])
            {
                var k = Array.IndexOf(kinds, r.Scenario);
                bars.Add(new ScottPlot.Bar
                {
                    // Four places per group: spread, hot, hot on two instances (the no-op sits alone in its group).
                    Position = g * 4 + (k == 3 ? 0 : k),
                    Value = r.Throughput,
                    FillColor = palette.GetColor(k),
                    Label = $"{r.Throughput:0}" + (r.OversoldAnswers > 0 ? $"\noversold {r.OversoldAnswers}" : ""),
                });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(groups.Select((_, i) => i * 4 + 1.0).ToArray(), groups.Select(g => g.Key).ToArray());
        plot.Title("Successful holds/s: spread (blue), hot slot (orange; green = 2 instances), relay no-op (red)");
        plot.YLabel("201 / s");
        plot.Axes.Margins(bottom: 0, top: 0.2);
        plot.SavePng(path, 1400, 600);
    }

    private static void Fill(IReadOnlyList<ScenarioResult> fills, string path)
    {
        var plot = new ScottPlot.Plot();
        var bars = fills.Select((r, i) => new ScottPlot.Bar { Position = i, Value = r.Throughput, Label = $"{r.Throughput:0}/s\np99 {r.Ms(99):0} ms" }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(fills.Select((_, i) => (double)i).ToArray(), fills.Select(r => r.Scenario.Replace("fill ", "", StringComparison.Ordinal)).ToArray());
        plot.Title($"Hot slot already carrying N active holds ({fills[0].Strategy}, coalescing {fills[0].Coalesce}): successful holds/s");
        plot.YLabel("201 / s");
        plot.Axes.Margins(bottom: 0, top: 0.2);
        plot.SavePng(path, 1000, 560);
    }

    private static void OpenLoop(IReadOnlyList<ScenarioResult> open, string path)
    {
        var plot = new ScottPlot.Plot();
        var xs = open.Select((_, i) => (double)i).ToArray();
        foreach (var (p, name) in new[] { (50.0, "p50"), (99.0, "p99"), (99.9, "p99.9") })
        {
            var line = plot.Add.Scatter(xs, open.Select(r => r.Ms(p)).ToArray());
            line.LegendText = name;
        }

        var bar = plot.Add.HorizontalLine(50);
        bar.LegendText = "bar: p99 ≤ 50 ms at 50%";
        plot.Axes.Bottom.SetTicks(xs, open.Select(r => $"{r.Scenario.Replace("open loop ", "", StringComparison.Ordinal)}\n{r.Load}").ToArray());
        plot.Title($"Open loop, latency from the intended send time ({open[0].Strategy}, coalescing {open[0].Coalesce})");
        plot.YLabel("ms");
        plot.ShowLegend();
        plot.SavePng(path, 1000, 560);
    }
}
