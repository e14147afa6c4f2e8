using System.Diagnostics;
using Bench;

// Usage: dotnet run -c Release --project tools/Bench -- [options]; see BenchOptions for every option and
// docs/concurrency.md (Measurements) for the long sweeps. Needs redis-server on PATH (it starts its own on a free
// port). Writes <out>/results.md and <out>/*.png (default artifacts/bench; the committed run uses --out docs/bench).
// Saga load: dotnet run -c Release --project tools/Bench -- --saga [--orders 500] [--declined 0.3] [--clients 64]
var options = BenchOptions.Parse(args);
if (options.Saga)
    return await new SagaLoad(options.Orders, options.Declined, options.Clients).RunAsync();
var total = Stopwatch.StartNew();
var results = new List<ScenarioResult>();
var primary = true; // the first strategy × coalescing pair also runs the baselines, the sweeps and two instances
foreach (var strategy in options.Strategies)
{
    foreach (var coalesce in options.Coalesce)
    {
        Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {strategy}, coalescing {coalesce} ...");
        await using var stack = await Stack.StartAsync(strategy, coalesce, baseline: primary);
        results.AddRange(await Scenarios.SpreadAndHotAsync(stack, options));
        if (primary)
        {
            results.AddRange(await Scenarios.BaselineAsync(stack, options));
            var sweep = await Scenarios.FillSweepAsync(stack, options);
            results.AddRange(sweep);
            if (options.OpenLoop.Count > 0)
            {
                // Saturation: the closed-loop successful holds/s on an empty slot of the same capacity.
                var saturation = options.Fill.Count > 0 && options.Fill[0] == 0 ? sweep[0].Throughput
                    : (await Scenarios.FillSweepAsync(stack, options with { Fill = [0] }))[0].Throughput;
                results.AddRange(await Scenarios.OpenLoopAsync(stack, options, saturation));
            }

            if (options.TwoInstances)
                results.AddRange(await Scenarios.TwoInstancesAsync(stack, options));
        }

        primary = false;
    }
}

var markdown = Report.Markdown(results, args, total.Elapsed);
Console.WriteLine(markdown);
Directory.CreateDirectory(options.Output);
await File.WriteAllTextAsync(Path.Combine(options.Output, "results.md"), markdown);
try
{
    Charts.Write(results, options.Output);
}
catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException)
{
    // The charts need SkiaSharp's native library; the tables above are the result either way.
    Console.Error.WriteLine($"charts not written: {ex.GetBaseException().Message}");
}

// A strategy that oversells or undersells fails the run; the unsafe baseline is expected to oversell.
var broken = results.Where(r => r.Broken).ToList();
foreach (var r in broken)
    Console.Error.WriteLine($"INVARIANT BROKEN: {r.Strategy}/{r.Coalesce}/{r.Scenario} oversold {r.OversoldStore}/{r.OversoldAnswers}, undersold {r.Undersold}");
return broken.Count == 0 ? 0 : 1;
