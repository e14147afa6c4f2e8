using System.Diagnostics;
using Fuzz;
using Fuzz.Run;
using Xunit.Abstractions;

namespace Fuzz.Tests;

/// <summary>
/// The fuzz command against the real system it starts itself: a small run must find no 5xx, get an answer to every
/// request and leave the state as it was. A 5xx cause coming back (an unknown charset, a lone surrogate in a
/// CloudEvent, a proxy that cannot forward a header) fails this test with the cause and its first request.
/// </summary>
public sealed class FuzzCommandTests(ITestOutputHelper output)
{
    public const int Requests = 1_500;

    [Fact]
    public async Task A_small_fuzz_run_through_the_edge_and_at_every_app_gets_no_5xx_and_changes_no_state()
    {
        var log = new StringWriter();
        var watch = Stopwatch.StartNew();
        FuzzResult result;
        try
        {
            result = await FuzzRunner.RunAsync(new FuzzOptions { Requests = Requests, Seed = 11, Log = log }, CancellationToken.None);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }

        var report = Report.Format(result, new FuzzOptions { Requests = Requests, Seed = 11 });
        output.WriteLine(report);
        output.WriteLine($"whole run (start, seed, fuzz, check, stop): {watch.Elapsed.TotalSeconds:0} s");

        result.Tally.Requests.Should().Be(Requests);
        // Every route of every app got requests: a route the discovery missed would be an unfuzzed route.
        result.Tally.Routes.Keys.Should().BeEquivalentTo(result.Routes.Select(r => r.Name));
        result.Routes.Should().Contain(r => r.ViaEdge).And.Contain(r => r.Kind == Generators.RouteKind.Subscription);
        result.Tally.ServerErrors.Should().Be(0, report);
        result.Tally.NoAnswers.Should().Be(0, report);
        result.StateChanges.Should().BeEmpty(report);
    }
}
