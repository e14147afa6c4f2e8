using Reservation.Domain;

namespace Reservation.Tests.Domain;

/// <summary>The abuse limits as pure decisions: the per-slot cap, the bound on settled holds, the overall count.</summary>
public sealed class LimitDecisionTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_customer_at_the_per_slot_cap_is_refused_while_another_customer_still_fits()
    {
        var slot = SlotState.Create("s1", capacity: 20)
            .PlaceHold("h1", 3, null, Now, Ttl, "alice", maxHeldByCustomer: 4).NewState!;

        var more = slot.PlaceHold("h2", 2, null, Now, Ttl, "alice", maxHeldByCustomer: 4);
        var bob = slot.PlaceHold("h3", 4, null, Now, Ttl, "bob", maxHeldByCustomer: 4);

        more.Outcome.Should().Be(new PlaceHoldOutcome.CustomerLimit(Held: 3, Limit: 4));
        more.NewState.Should().BeNull();
        bob.Outcome.Should().BeOfType<PlaceHoldOutcome.Placed>();
    }

    [Fact]
    public void Released_and_confirmed_holds_do_not_count_against_the_per_slot_cap_and_confirming_ones_do()
    {
        var slot = SlotState.Create("s1", capacity: 20)
            .PlaceHold("released", 2, null, Now, Ttl, "alice").NewState!
            .PlaceHold("confirmed", 2, null, Now, Ttl, "alice").NewState!
            .PlaceHold("confirming", 2, null, Now, Ttl, "alice").NewState!
            .Release("released", ReleaseReason.Cancelled).NewState!;
        slot = slot.BeginConfirm("confirmed", Now).NewState!.CompleteConfirm("confirmed").NewState!
            .BeginConfirm("confirming", Now).NewState!;

        slot.HeldBy("alice").Should().Be(2);
        slot.PlaceHold("h", 2, null, Now, Ttl, "alice", maxHeldByCustomer: 4).Outcome.Should().BeOfType<PlaceHoldOutcome.Placed>();
        slot.PlaceHold("h", 3, null, Now, Ttl, "alice", maxHeldByCustomer: 4).Outcome.Should().BeOfType<PlaceHoldOutcome.CustomerLimit>();
    }

    [Fact]
    public void A_replay_at_the_cap_gets_its_hold_back()
    {
        var slot = SlotState.Create("s1", capacity: 20).PlaceHold("h1", 4, "key", Now, Ttl, "alice", maxHeldByCustomer: 4).NewState!;

        var replay = slot.PlaceHold("h2", 4, "key", Now, Ttl, "alice", maxHeldByCustomer: 4);

        replay.Outcome.Should().Be(new PlaceHoldOutcome.Placed(slot.Find("h1")!, Replayed: true));
    }

    [Fact]
    public void A_hold_never_outlives_the_expiry_its_customer_was_counted_for()
    {
        var countedUntil = Now + Ttl - TimeSpan.FromSeconds(3);

        var placed = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 1, null, Now, Ttl, "alice", expiresNoLaterThan: countedUntil);

        placed.NewState!.Find("h1")!.ExpiresAt.Should().Be(countedUntil);
    }

    [Fact]
    public void Beyond_the_cap_the_oldest_released_or_expired_holds_are_forgotten_and_bookings_and_active_holds_stay()
    {
        var slot = SlotState.Create("s1", capacity: 20);
        foreach (var id in new[] { "r1", "booked", "r2", "r3", "active", "r4" })
            slot = slot.PlaceHold(id, 1, null, Now, Ttl).NewState!;
        foreach (var id in new[] { "r1", "r2", "r3", "r4" })
            slot = slot.Release(id, ReleaseReason.Cancelled).NewState!;
        slot = slot.BeginConfirm("booked", Now).NewState!.CompleteConfirm("booked").NewState!;

        var (pruned, expired) = slot.PruneExpired(Now, maxSettled: 2);

        pruned.Holds.Select(h => h.HoldId).Should().Equal("booked", "r3", "active", "r4");
        expired.Should().BeEmpty();
        pruned.Available.Should().Be(slot.Available, "forgotten holds had returned their quantity already");
        pruned.FencingToken.Should().Be(slot.FencingToken + 1);
    }

    [Fact]
    public void A_release_that_passes_the_settled_cap_forgets_the_oldest_in_the_same_write()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 1, null, Now, Ttl).NewState!
            .PlaceHold("h2", 1, null, Now, Ttl).NewState!.Release("h1", ReleaseReason.Cancelled).NewState!;

        var decision = SlotDecisions.WithPruning(slot, Now, state => state.Release("h2", ReleaseReason.Cancelled), maxSettled: 1);

        decision.NewState!.Holds.Should().ContainSingle().Which.HoldId.Should().Be("h2");
        decision.NewState.Available.Should().Be(5);
    }

    [Fact]
    public void The_overall_count_refuses_past_the_limit_and_says_when_the_first_hold_runs_out()
    {
        var holds = CustomerHolds.Empty;
        holds = holds.Reserve(new CustomerHold("a", "s1", 3, Now + TimeSpan.FromMinutes(4)), Now, limit: 5).Next!;
        holds = holds.Reserve(new CustomerHold("b", "s2", 2, Now + TimeSpan.FromMinutes(9)), Now, limit: 5).Next!;

        var (next, refusal) = holds.Reserve(new CustomerHold("c", "s3", 1, Now + Ttl), Now, limit: 5);

        next.Should().BeNull();
        refusal.Should().Be(new CustomerHoldRefusal(Held: 5, Limit: 5, RetryAfter: TimeSpan.FromMinutes(4)));
    }

    [Fact]
    public void Entries_that_ran_out_or_were_forgotten_no_longer_count()
    {
        var holds = CustomerHolds.Empty
            .Reserve(new CustomerHold("a", "s1", 3, Now + TimeSpan.FromMinutes(1)), Now, limit: 5).Next!
            .Reserve(new CustomerHold("b", "s2", 2, Now + Ttl), Now, limit: 5).Next!;
        var later = Now + TimeSpan.FromMinutes(1);

        holds.HeldAt(later).Should().Be(2);
        holds.Reserve(new CustomerHold("c", "s3", 3, later + Ttl), later, limit: 5).Next!.HeldAt(later).Should().Be(5);
        holds.Forget("b", Now)!.HeldAt(Now).Should().Be(3);
        holds.Forget("unknown", Now).Should().BeNull("nothing to write");
        holds.Reserve(new CustomerHold("a", "s1", 3, Now + Ttl), Now, limit: 5).Should().Be((null as CustomerHolds, null as CustomerHoldRefusal),
            "an entry already counted is not counted twice");
    }
}
