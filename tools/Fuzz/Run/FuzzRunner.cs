using System.Diagnostics;
using Fuzz.Api;
using Fuzz.Generators;
using Fuzz.Http;

namespace Fuzz.Run;

/// <summary>What a run found; <see cref="Passed"/> is the command's verdict.</summary>
public sealed record FuzzResult(
    Tally Tally,
    IReadOnlyList<FuzzRoute> Routes,
    IReadOnlyList<string> StateChanges,
    int StateEntries,
    TimeSpan FuzzTime,
    bool Cancelled)
{
    public bool Passed => !Cancelled && Tally.ServerErrors == 0 && Tally.NoAnswers == 0 && StateChanges.Count == 0;
}

/// <summary>
/// The whole run: the system (started here, or a running one), seed data, the routes from the apps' own documents,
/// a settled snapshot, the requests, a settled snapshot again, the comparison.
/// </summary>
public static class FuzzRunner
{
    /// <summary>
    /// Runs and, when <paramref name="report"/> is given, prints the report there before stopping the system (whose
    /// shutdown logs would otherwise run into it).
    /// </summary>
    public static async Task<FuzzResult> RunAsync(FuzzOptions options, CancellationToken cancel, TextWriter? report = null)
    {
        var watch = Stopwatch.StartNew();
        var log = new TimedLog(options.Log, watch);
        log.WriteLine(options.TargetWeb is null ? "starting the system (web, catalog, reservation, ordering, payment) ..." : "using a running system ...");
        var system = options.TargetWeb is null ? await SystemUnderTest.StartAsync(options) : await SystemUnderTest.RunningAsync(options, cancel);
        try
        {
            log.WriteLine($"system: {system.Description}");
            var result = await FuzzAsync(options, system, log, cancel);
            report?.WriteLine(Report.Format(result, options));
            return result;
        }
        finally
        {
            log.WriteLine("stopping what this run started ...");
            await system.DisposeAsync();
            log.WriteLine("stopped");
        }
    }

    private static async Task<FuzzResult> FuzzAsync(FuzzOptions options, SystemUnderTest system, TextWriter log, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var credentials = system.Credentials;
        // Seeding waits on the saga; reading the apps' documents meanwhile costs nothing extra.
        var seeding = new Seeder(system, credentials, log).SeedAsync(cancel);
        var discovery = RouteDiscovery.DiscoverAsync(system, log, cancel);
        var ids = await seeding;
        var routes = (await discovery)
            .Where(r => options.Only is null || r.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (routes.Count == 0)
            throw new ArgumentException($"no route matches --only '{options.Only}'");
        var before = await StateSnapshot.SettledAsync(system, credentials, ids, cancel);
        log.WriteLine($"{routes.Count} routes; state before: {before.Entries.Count} entries; sending {options.Requests} requests " +
            $"(seed {options.Seed}, from #{options.From}, {options.Concurrency} in flight) ...");

        var tally = new Tally();
        var fuzzWatch = Stopwatch.StartNew();
        var cancelled = false;
        try
        {
            await SendAllAsync(options with { Log = log }, system, credentials, ids, routes, tally, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            cancelled = true;
        }

        var fuzzTime = fuzzWatch.Elapsed;
        log.WriteLine($"sent {tally.Requests} requests in {fuzzTime.TotalSeconds:0.0} s; checking state ...");
        // The check runs even after Ctrl+C (on its own clock): a partial run still says whether it changed anything.
        using var checkTime = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var after = await StateSnapshot.SettledAsync(system, credentials, ids, checkTime.Token);
        var changes = after.DifferencesFrom(before);
        var expiredHolds = ExpiredSeededHolds(before, after);
        if (expiredHolds.Count > 0 && changes.Count > 0)
            changes = [.. changes, $"note: seeded holds {string.Join(", ", expiredHolds)} reached their expiry during the run " +
                "(the system's hold lifetime is shorter than the run): their expiry is not a fuzz effect, rerun with fewer requests"];
        log.WriteLine($"state checked: {(changes.Count == 0 ? "unchanged" : $"{changes.Count} change(s)")}");
        return new FuzzResult(tally, routes, changes, before.Entries.Count, fuzzTime, cancelled);
    }

    private static async Task SendAllAsync(FuzzOptions options, SystemUnderTest system, Credentials credentials, IdPool ids,
        IReadOnlyList<FuzzRoute> routes, Tally tally, CancellationToken cancel)
    {
        var next = options.From - 1;
        var last = options.From + options.Requests - 1;
        var progressEvery = Math.Max(500, options.Requests / 10);
        var workers = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                var index = Interlocked.Increment(ref next);
                if (index > last)
                    return;
                var request = Generate(options.Seed, index, routes, credentials, ids, system.AppTokens);
                var response = await RawHttp.SendAsync(request, options.Timeout, cancel);
                tally.Record(request, response);
                if ((index - options.From + 1) % progressEvery == 0)
                    options.Log.WriteLine($"  {index - options.From + 1} sent, {tally.ServerErrors} 5xx, {tally.NoAnswers} without answer");
            }
        }).ToList();
        await Task.WhenAll(workers);
    }

    /// <summary>Request <paramref name="index"/> of seed <paramref name="seed"/>: the same whatever order requests run in.</summary>
    public static FuzzRequest Generate(int seed, int index, IReadOnlyList<FuzzRoute> routes, Credentials credentials, IdPool ids,
        IReadOnlyDictionary<string, string> appTokens)
    {
        var route = routes[index % routes.Count];
        var random = new Random(unchecked((seed * 1_000_003) ^ (index * 7_919) + index));
        return route.Kind == RouteKind.Operation
            ? new OperationRequests(random, credentials, ids, appTokens).Make(route, index)
            : new SidecarRequests(random, credentials, ids, appTokens).Make(route, index);
    }

    private static List<string> ExpiredSeededHolds(StateSnapshot before, StateSnapshot after) =>
        [.. before.Entries.Where(e => e.Key.StartsWith("hold ", StringComparison.Ordinal))
            .Where(e => ExpiresAt(e.Value) is { } at && at < after.TakenAt)
            .Select(e => e.Key["hold ".Length..])];

    private static DateTimeOffset? ExpiresAt(string holdJson)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(holdJson);
            return document.RootElement.TryGetProperty("expiresAt", out var at) && at.TryGetDateTimeOffset(out var value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Progress lines stamped with the seconds since the run began (where a slow run spends its time).</summary>
    private sealed class TimedLog(TextWriter inner, Stopwatch watch) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value)
        {
            lock (inner)
                inner.WriteLine($"[{watch.Elapsed.TotalSeconds,6:0.0} s] {value}");
        }

        public override void Write(char value) => inner.Write(value);
    }
}
