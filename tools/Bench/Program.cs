using System.Diagnostics;
using Bench;

// Usage: dotnet run -c Release --project tools/Bench -- [--strategies etag,lock,actor,unsafe] [--clients 64]
//   [--hot-capacity 1000] [--hot-attempts 2000] [--spread-slots 1000] [--spread-attempts 4000] [--out artifacts/bench]
// Needs redis-server on PATH (it starts its own on a free port). Writes <out>/results.md and <out>/throughput.png.
// Saga load: dotnet run -c Release --project tools/Bench -- --saga [--orders 500] [--declined 0.3] [--clients 64]
var options = BenchOptions.Parse(args);
if (options.Saga)
    return await new SagaLoad(options.Orders, options.Declined, options.Clients).RunAsync();
var total = Stopwatch.StartNew();
var results = new List<ScenarioResult>();
foreach (var strategy in options.Strategies)
{
    Console.Error.WriteLine($"running {strategy} ...");
    if (strategy == "unsafe")
        results.Add(await new UnsafeBaseline(options).RunAsync());
    else
        results.AddRange(await new StackScenarios(options).RunAsync(strategy));
}

var markdown = Report.Markdown(results, options, total.Elapsed);
Console.WriteLine(markdown);
Directory.CreateDirectory(options.Output);
await File.WriteAllTextAsync(Path.Combine(options.Output, "results.md"), markdown);
try
{
    Report.Chart(results, Path.Combine(options.Output, "throughput.png"));
}
catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException)
{
    // The chart needs SkiaSharp's native library; the table above is the result either way.
    Console.Error.WriteLine($"chart not written: {ex.GetBaseException().Message}");
}

// A strategy that oversells or undersells fails the run; the unsafe baseline is expected to oversell.
var broken = results.Where(r => r.Strategy != "unsafe" && (r.Oversold > 0 || r.Undersold > 0)).ToList();
foreach (var r in broken)
    Console.Error.WriteLine($"INVARIANT BROKEN: {r.Strategy}/{r.Scenario} oversold {r.Oversold}, undersold {r.Undersold}");
return broken.Count == 0 ? 0 : 1;
