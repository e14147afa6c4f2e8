using Microsoft.Extensions.Time.Testing;
using Reservation.Domain;

namespace Reservation.Tests.Domain;

/// <summary>
/// Property-style: random sequences of every decision, against a fake clock, checking the invariants of BRIEF §3
/// after each step from the state alone and from what the decisions reported.
/// </summary>
public sealed class SlotStateRandomizedTests
{
    public static TheoryData<int> Seeds() => new() { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_sequences_never_oversell_and_settle_each_hold_once(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var capacity = random.Next(1, 20);
        var slot = SlotState.Create("s", capacity);
        var returned = new Dictionary<string, int>();
        var confirmed = new Dictionary<string, int>();
        var placedIds = new List<string>();
        var retention = TimeSpan.FromDays(1); // keep every tombstone so the final accounting can see all holds

        for (var step = 0; step < 2_000; step++)
        {
            var now = clock.GetUtcNow();
            var target = placedIds.Count == 0 ? "none" : placedIds[random.Next(placedIds.Count)];
            var before = slot.FencingToken;
            var next = random.Next(7) switch
            {
                0 or 1 => Apply(slot, now, retention, returned, s =>
                {
                    var id = $"h{step}";
                    var decision = s.PlaceHold(id, random.Next(1, 4), random.Next(4) == 0 ? $"k{random.Next(10)}" : null, now,
                        TimeSpan.FromSeconds(random.Next(1, 30)));
                    if (decision.Outcome is PlaceHoldOutcome.Placed { Replayed: false })
                        placedIds.Add(id);
                    if (decision.Outcome is PlaceHoldOutcome.SoldOut soldOut)
                        soldOut.Available.Should().Be(s.Available);
                    return decision;
                }),
                2 => Apply(slot, now, retention, returned, s =>
                {
                    var decision = s.Release(target, ReleaseReason.Cancelled);
                    if (decision.Outcome.Released is { } released)
                        Count(returned, released.HoldId);
                    return decision;
                }),
                3 => Apply(slot, now, retention, returned, s => s.BeginConfirm(target, now)),
                4 => Apply(slot, now, retention, returned, s =>
                {
                    var decision = s.CompleteConfirm(target);
                    if (decision.Outcome.Hold is { } done)
                        Count(confirmed, done.HoldId);
                    return decision;
                }),
                5 => Apply(slot, now, retention, returned, s =>
                {
                    var decision = s.AbortConfirm(target, ReleaseReason.Cancelled);
                    if (decision.Outcome.Hold is { } aborted)
                        Count(returned, aborted.HoldId);
                    return decision;
                }),
                _ => Advance(clock, random, slot),
            };

            next.FencingToken.Should().BeGreaterThanOrEqualTo(before);
            next.Available.Should().BeGreaterThanOrEqualTo(0);
            next.Booked.Should().BeLessThanOrEqualTo(next.Capacity);
            next.Available.Should().Be(next.Capacity - next.Booked - next.ActiveHolds.Sum(h => h.Quantity));
            slot = next;
        }

        returned.Where(entry => entry.Value != 1).Should().BeEmpty("released or expired quantity is returned exactly once");
        confirmed.Where(entry => entry.Value != 1).Should().BeEmpty("a hold is confirmed at most once");
        confirmed.Keys.Should().NotIntersectWith(returned.Keys, "a confirmed hold was never released or expired");
        slot.Booked.Should().Be(slot.Holds.Where(h => h.Status == HoldStatus.Confirmed).Sum(h => h.Quantity));
    }

    private static SlotState Apply<T>(
        SlotState slot, DateTimeOffset now, TimeSpan retention, Dictionary<string, int> returned,
        Func<SlotState, Decision<T>> decide)
    {
        var decision = SlotDecisions.WithPruning(slot, now, decide, retention);
        foreach (var expired in decision.Expired)
            Count(returned, expired.HoldId);
        return decision.NewState ?? slot;
    }

    private static SlotState Advance(FakeTimeProvider clock, Random random, SlotState slot)
    {
        clock.Advance(TimeSpan.FromSeconds(random.Next(0, 10)));
        return slot;
    }

    private static void Count(Dictionary<string, int> counts, string holdId) =>
        counts[holdId] = counts.GetValueOrDefault(holdId) + 1;
}
