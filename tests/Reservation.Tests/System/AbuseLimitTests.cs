using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.State;

namespace Reservation.Tests.System;

/// <summary>
/// Issue 11's abuse limits, raced on every strategy against real Redis and checked from the stores afterwards: one
/// customer cannot hold more than the caps however many requests they send at once, other customers are unaffected,
/// settled holds kept per slot are bounded, and made-up slot ids cost neither keys nor memory.
/// </summary>
[Collection(ReservationSystemCollection.Name)]
public sealed class AbuseLimitTests(ReservationSystems systems)
{
    private static readonly ReservationLimits Limits = ReservationSystems.Limits;

    [Theory]
    [MemberData(nameof(HoldRaceTests.RedisMatrix), MemberType = typeof(HoldRaceTests))]
    public async Task Forty_concurrent_holds_by_one_customer_on_one_slot_hold_exactly_the_per_slot_cap(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        var slotId = await system.CreateSlotAsync(capacity: 100);
        var greedy = ReservationSystem.NewCustomer();

        var responses = await Race.RunAsync(40, i => system.PlaceAsync(slotId, 1, $"greedy-{i}", greedy));

        var created = await HoldIdsAsync(responses);
        created.Should().HaveCount(Limits.MaxHeldPerSlot, system.Logs);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        refused.Should().HaveCount(40 - Limits.MaxHeldPerSlot, "every other request is refused by the cap, nothing else");
        foreach (var response in refused)
        {
            var problem = await ProblemAsync(response);
            problem.GetProperty("reason").GetString().Should().Be("customer-limit");
            problem.GetProperty("limit").GetInt32().Should().Be(Limits.MaxHeldPerSlot);
        }

        var state = await system.ReadSlotStateAsync(slotId);
        state!.HeldBy(greedy).Should().Be(Limits.MaxHeldPerSlot, "the cap held in the store, not only in the answers");
        state.ActiveHolds.Where(h => h.CustomerId == greedy).Select(h => h.HoldId).Should().BeEquivalentTo(created);
        (await system.ReadCustomerHoldsAsync(greedy))!.Holds.Select(h => h.HoldId)
            .Should().BeEquivalentTo(created, "refused requests gave their count back");

        (await system.PlaceAsync(slotId, 5, idempotencyKey: null)).StatusCode.Should().Be(HttpStatusCode.Created, "another customer is unaffected");
        (await system.ReleaseAsync(created[0])).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await system.PlaceAsync(slotId, 1, "greedy-again", greedy)).StatusCode.Should().Be(HttpStatusCode.Created, "a release makes room again");
        (await system.PlaceAsync(slotId, 1, "greedy-more", greedy)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await system.ReadSlotStateAsync(slotId))!.HeldBy(greedy).Should().Be(Limits.MaxHeldPerSlot);
        (await system.AvailabilityAsync(slotId)).GetProperty("available").GetInt32().Should().Be(100 - Limits.MaxHeldPerSlot - 5);
    }

    [Theory]
    [MemberData(nameof(HoldRaceTests.RedisMatrix), MemberType = typeof(HoldRaceTests))]
    public async Task Eighty_concurrent_holds_by_one_customer_across_eight_slots_hold_exactly_the_overall_cap(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        var slots = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => system.CreateSlotAsync(capacity: 20)));
        var greedy = ReservationSystem.NewCustomer();

        // Ten per slot: the per-slot cap never refuses, only the overall one can.
        var responses = await Race.RunAsync(80, i => system.PlaceAsync(slots[i % 8], 1, $"spread-{i}", greedy));

        var created = await HoldIdsAsync(responses);
        created.Should().HaveCount(Limits.MaxHeldPerCustomer, system.Logs);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        refused.Should().HaveCount(80 - Limits.MaxHeldPerCustomer, "every other request is refused by the overall cap, nothing else");
        foreach (var response in refused)
        {
            var problem = await ProblemAsync(response);
            problem.GetProperty("reason").GetString().Should().Be("customer-total-limit");
            problem.GetProperty("held").GetInt32().Should().Be(Limits.MaxHeldPerCustomer);
            response.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(ReservationSystems.HoldTtl,
                "the first of the customer's holds runs out within a hold lifetime");
        }

        var states = await Task.WhenAll(slots.Select(system.ReadSlotStateAsync));
        states.Sum(s => s!.HeldBy(greedy)).Should().Be(Limits.MaxHeldPerCustomer, "the cap held in the store, not only in the answers");
        states.Should().OnlyContain(s => s!.HeldBy(greedy) <= Limits.MaxHeldPerSlot);
        states.SelectMany(s => s!.ActiveHolds).Where(h => h.CustomerId == greedy).Select(h => h.HoldId).Should().BeEquivalentTo(created);
        (await system.ReadCustomerHoldsAsync(greedy))!.Holds.Select(h => h.HoldId).Should().BeEquivalentTo(created);

        var others = await Task.WhenAll(slots.Select(slot => system.PlaceAsync(slot, 2, idempotencyKey: null)));
        others.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created, "other customers are unaffected");
        (await system.ReleaseAsync(created[0])).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await system.PlaceAsync(slots[0], 1, "after-release", greedy)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await system.PlaceAsync(slots[1], 1, "one-too-many", greedy)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        var last = Enumerable.Range(0, 80).Last(i => responses[i].StatusCode == HttpStatusCode.Created);
        var retried = await system.PlaceAsync(slots[last % 8], 1, $"spread-{last}", greedy);
        retried.StatusCode.Should().Be(HttpStatusCode.Created, "a retried request gets the hold it created, even at the cap");
        (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString().Should().Be(created[^1]);
    }

    [Fact]
    public async Task Two_instances_racing_for_one_customers_count_never_pass_the_overall_cap()
    {
        var system = await systems.GetAsync("etag", SidecarBackend.Redis);
        using var dapr = system.CreateDaprClient();
        var customer = ReservationSystem.NewCustomer();
        // Each instance has its own in-process gate: only the store's ETag stands between them.
        var instances = Enumerable.Range(0, 2).Select(_ => new CustomerHoldLedger(
            dapr, TimeProvider.System, new SlotStoreStats(), Options.Create(new ReservationOptions()),
            Options.Create(new ReservationLimits { MaxHeldPerCustomer = 30 }), NullLogger<CustomerHoldLedger>.Instance)).ToArray();
        var expiresAt = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5);

        var answers = await Race.RunAsync(60, async i =>
        {
            try
            {
                var refusal = await instances[i % 2].ReserveAsync(customer, new CustomerHold($"h{i}", "s", 1, expiresAt), CancellationToken.None);
                return (Hold: $"h{i}", Answer: refusal is null ? "counted" : "refused");
            }
            catch (SlotContentionException)
            {
                return (Hold: $"h{i}", Answer: "contended");
            }
        });

        var counted = answers.Where(a => a.Answer == "counted").Select(a => a.Hold).ToList();
        var stored = await instances[0].ReadAsync(customer, CancellationToken.None);
        stored!.Holds.Select(h => h.HoldId).Should().BeEquivalentTo(counted, "every yes is in the store, and nothing else");
        counted.Count.Should().BeLessThanOrEqualTo(30).And.BeGreaterThan(0);
        if (counted.Count < 30)
            answers.Should().Contain(a => a.Answer == "contended", "below the cap only contention refuses");
    }

    [Theory]
    [MemberData(nameof(HoldRaceTests.RedisMatrix), MemberType = typeof(HoldRaceTests))]
    public async Task Settled_holds_beyond_the_cap_are_forgotten_oldest_first_and_availability_stays_exact(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        const int Old = 20;
        var capacity = Limits.MaxSettledPerSlot + Old;
        var slotId = await system.CreateSlotAsync(capacity);

        var old = await PlaceAndReleaseAsync(system, slotId, Old);
        var recent = await PlaceAndReleaseAsync(system, slotId, Limits.MaxSettledPerSlot);

        var state = await system.ReadSlotStateAsync(slotId);
        state!.Holds.Select(h => h.HoldId).Should().BeEquivalentTo(recent, "the oldest settled holds went first, the cap's worth stayed");
        state.Holds.Should().OnlyContain(h => h.Status == HoldStatus.Released);
        state.Available.Should().Be(capacity, "forgetting a settled hold returns nothing twice");
        old.Should().NotIntersectWith(state.Holds.Select(h => h.HoldId));
        (await system.ReleaseAsync(old[0])).StatusCode.Should().Be(HttpStatusCode.NotFound, "a forgotten hold is no longer known");
        (await system.ReadSlotStateAsync(slotId))!.Available.Should().Be(capacity);
    }

    [Theory]
    [MemberData(nameof(HoldRaceTests.RedisMatrix), MemberType = typeof(HoldRaceTests))]
    public async Task A_flood_of_requests_for_made_up_slot_ids_is_404_and_leaves_no_key_and_no_map_entry(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        await system.WarmUpAsync();
        var before = Sizes(await system.StatsAsync());
        var ids = Enumerable.Range(0, 150).Select(i => i % 2 == 0 ? Guid.NewGuid().ToString("N") : $"nope-{Guid.NewGuid():N}").ToArray();
        var customer = ReservationSystem.NewCustomer();

        var responses = await Race.RunAsync(ids.Length * 2, i => i < ids.Length
            ? system.Anonymous.GetAsync($"slots/{ids[i]}/availability")
            : system.PlaceAsync(ids[i - ids.Length], 1, $"k-{i}", customer));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.NotFound, system.Logs);
        responses.Should().OnlyContain(r => r.Content.Headers.ContentType!.MediaType == "application/problem+json");
        var keys = await system.RedisKeysAsync();
        keys.Where(key => ids.Any(key.Contains)).Should().BeEmpty("no state, lock, actor or cache key for an id nobody knows");
        keys.Should().NotContain(key => key.Contains(customer), "a hold on an unknown slot costs no customer record");
        ids.Where(system.IsSlotActorActive).Should().BeEmpty("no actor was activated for an id nobody knows");
        var after = Sizes(await system.StatsAsync());
        after["knownSlots"].Should().Be(before["knownSlots"], "unknown ids are not remembered");
        await Eventually.Async(async () =>
            Sizes(await system.StatsAsync()).Where(size => size.Key != "knownSlots").Should().OnlyContain(size => size.Value == 0,
                "per-slot and per-customer maps hold only work in flight"));
    }

    private static async Task<List<string>> PlaceAndReleaseAsync(ReservationSystem system, string slotId, int count)
    {
        var placed = await Race.RunAsync(count, _ => system.PlaceAsync(slotId, 1, idempotencyKey: null));
        var ids = await HoldIdsAsync(placed);
        ids.Should().HaveCount(count, system.Logs);
        var released = await Race.RunAsync(count, i => system.ReleaseAsync(ids[i]));
        released.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.NoContent, system.Logs);
        return ids;
    }

    private static async Task<List<string>> HoldIdsAsync(IEnumerable<HttpResponseMessage> responses) =>
        [.. await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!))];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<string, int> Sizes(JsonElement stats) =>
        stats.GetProperty("sizes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
}
