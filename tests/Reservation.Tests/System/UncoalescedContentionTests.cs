using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Xunit.Abstractions;

namespace Reservation.Tests.System;

/// <summary>
/// Without group commit every request fights for the slot on its own: the store's guard alone must still prevent
/// overselling, and what it cannot resolve within the retry budget is answered 503 + Retry-After, never a wrong yes.
/// </summary>
[Collection(ReservationSystemCollection.Name)]
public sealed class UncoalescedContentionTests(ReservationSystems systems, ITestOutputHelper output)
{
    public static TheoryData<string> Strategies() => new() { "etag", "lock" };

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Two_hundred_uncoalesced_holds_never_oversell_and_shed_load_with_retry_after(string strategy)
    {
        var system = await systems.GetAsync(strategy, SidecarBackend.Redis, coalesce: false);
        var slotId = await system.CreateSlotAsync(capacity: 50);
        await system.WarmUpAsync();
        var before = await system.StatsAsync();

        var clock = Stopwatch.StartNew();
        var responses = await Race.RunAsync(200, index => system.PlaceAsync(slotId, 1, $"buyer-{index}"));
        clock.Stop();
        var after = await system.StatsAsync();

        long Delta(string name) => ReservationSystem.Stat(after, name) - ReservationSystem.Stat(before, name);
        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        var shed = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        output.WriteLine(
            $"MEASURE 200-vs-50 uncoalesced {strategy}/Redis: {clock.Elapsed.TotalMilliseconds:F0} ms; writes {Delta("writes")}, " +
            $"conflicts {Delta("conflicts")}, lockBusy {Delta("lockBusy")}, exhausted {Delta("exhausted")}; " +
            string.Join(", ", responses.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Key}×{g.Count()}")));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict
            || r.StatusCode == HttpStatusCode.ServiceUnavailable, system.Logs);
        shed.Should().OnlyContain(r => r.Headers.RetryAfter != null);
        var state = await system.ReadSlotStateAsync(slotId);
        state!.ActiveHolds.Should().HaveCount(created, "every 201 is a hold in the store, and nothing else is");
        state.Available.Should().Be(50 - created).And.BeGreaterThanOrEqualTo(0);
        if (created < 50)
            shed.Should().NotBeEmpty("seats are left only if some requests were shed, not refused as sold out");
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("available").GetInt32().Should().Be(0, "sold out means sold out");
    }
}
