using Microsoft.Extensions.Time.Testing;
using Reservation.Domain;

namespace Reservation.Tests.Domain;

public sealed class SlotStateTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => clock.GetUtcNow();

    private static T Placed<T>(Decision<PlaceHoldOutcome> decision) where T : PlaceHoldOutcome =>
        decision.Outcome.Should().BeOfType<T>().Subject;

    [Fact]
    public void A_hold_that_fits_reserves_its_quantity_and_advances_the_fencing_token()
    {
        var slot = SlotState.Create("s1", capacity: 5);

        var decision = slot.PlaceHold("h1", 3, "k1", Now, Ttl);

        var placed = Placed<PlaceHoldOutcome.Placed>(decision);
        placed.Hold.ExpiresAt.Should().Be(Now + Ttl);
        decision.NewState!.Held.Should().Be(3);
        decision.NewState.Available.Should().Be(2);
        decision.NewState.FencingToken.Should().Be(slot.FencingToken + 1);
    }

    [Fact]
    public void A_hold_larger_than_what_is_left_is_refused_with_the_current_availability()
    {
        var slot = SlotState.Create("s1", capacity: 5, booked: 2).PlaceHold("h1", 2, null, Now, Ttl).NewState!;

        var decision = slot.PlaceHold("h2", 2, null, Now, Ttl);

        Placed<PlaceHoldOutcome.SoldOut>(decision).Available.Should().Be(1);
        decision.NewState.Should().BeNull();
    }

    [Fact]
    public void The_same_idempotency_key_returns_the_existing_hold_without_a_write()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 1, "key", Now, Ttl).NewState!;

        var decision = slot.PlaceHold("h2", 1, "key", Now, Ttl);

        var placed = Placed<PlaceHoldOutcome.Placed>(decision);
        placed.Replayed.Should().BeTrue();
        placed.Hold.HoldId.Should().Be("h1");
        decision.NewState.Should().BeNull();
    }

    [Fact]
    public void Releasing_returns_the_quantity_once_and_a_second_release_is_a_no_op()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 4, null, Now, Ttl).NewState!;

        var first = slot.Release("h1", ReleaseReason.Cancelled);
        var second = first.NewState!.Release("h1", ReleaseReason.Cancelled);

        first.Outcome.ReturnedQuantity.Should().BeTrue();
        first.NewState.Available.Should().Be(5);
        second.Outcome.ReturnedQuantity.Should().BeFalse();
        second.NewState.Should().BeNull();
    }

    [Fact]
    public void Releasing_an_unknown_hold_is_a_no_op()
    {
        var decision = SlotState.Create("s1", capacity: 5).Release("nope", ReleaseReason.Cancelled);

        decision.NewState.Should().BeNull();
        decision.Outcome.Released.Should().BeNull();
    }

    [Fact]
    public void Confirming_moves_the_held_quantity_to_booked_under_a_fresh_token()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 2, null, Now, Ttl).NewState!;

        var begin = slot.BeginConfirm("h1", Now);
        var fenced = begin.Outcome.Should().BeOfType<BeginConfirmOutcome.Fenced>().Subject;
        var done = begin.NewState!.CompleteConfirm("h1");

        fenced.Token.Should().Be(begin.NewState.FencingToken).And.BeGreaterThan(slot.FencingToken);
        begin.NewState.Available.Should().Be(3, "a confirming hold still holds its quantity");
        done.NewState!.Booked.Should().Be(2);
        done.NewState.Held.Should().Be(0);
        done.NewState.BeginConfirm("h1", Now).Outcome.Should().BeOfType<BeginConfirmOutcome.AlreadyConfirmed>();
    }

    [Fact]
    public void A_confirm_after_expiry_is_refused()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 2, null, Now, Ttl).NewState!;
        clock.Advance(Ttl);

        var decision = SlotDecisions.WithPruning(slot, Now, state => state.BeginConfirm("h1", Now));

        decision.Outcome.Should().BeEquivalentTo(new { Reason = ConfirmRefusal.Expired });
        decision.Expired.Should().ContainSingle(hold => hold.HoldId == "h1");
        decision.NewState!.Available.Should().Be(5);
    }

    [Fact]
    public void Released_and_unknown_holds_cannot_be_confirmed()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 2, null, Now, Ttl).NewState!
            .Release("h1", ReleaseReason.Cancelled).NewState!;

        slot.BeginConfirm("h1", Now).Outcome.Should().BeEquivalentTo(new { Reason = ConfirmRefusal.Released });
        slot.BeginConfirm("h9", Now).Outcome.Should().BeEquivalentTo(new { Reason = ConfirmRefusal.Unknown });
    }

    [Fact]
    public void A_confirming_hold_is_not_expired_by_the_clock_but_reported_overdue_after_the_grace()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 2, null, Now, Ttl).NewState!
            .BeginConfirm("h1", Now).NewState!;
        clock.Advance(Ttl + TimeSpan.FromSeconds(1));

        var (pruned, expired) = slot.PruneExpired(Now);

        expired.Should().BeEmpty();
        pruned.Held.Should().Be(2);
        slot.OverdueConfirms(Now, TimeSpan.FromSeconds(30)).Should().BeEmpty();
        slot.OverdueConfirms(Now + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)).Should().ContainSingle();
    }

    [Fact]
    public void Pruning_expires_each_hold_once_and_forgets_tombstones_after_retention()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 2, null, Now, Ttl).NewState!;
        clock.Advance(Ttl);

        var (once, expiredOnce) = slot.PruneExpired(Now);
        var (twice, expiredTwice) = once.PruneExpired(Now);
        var (later, _) = twice.PruneExpired(Now + SlotState.DefaultTombstoneRetention);

        expiredOnce.Should().ContainSingle();
        expiredTwice.Should().BeEmpty();
        ReferenceEquals(twice, once).Should().BeTrue("nothing changed, so nothing must be written");
        later.Holds.Should().BeEmpty();
        later.Available.Should().Be(5);
    }

    [Fact]
    public void An_aborted_confirm_returns_the_quantity()
    {
        var slot = SlotState.Create("s1", capacity: 5).PlaceHold("h1", 2, null, Now, Ttl).NewState!
            .BeginConfirm("h1", Now).NewState!;

        var decision = slot.AbortConfirm("h1", ReleaseReason.Cancelled);

        decision.NewState!.Available.Should().Be(5);
        decision.NewState.AbortConfirm("h1", ReleaseReason.Cancelled).NewState.Should().BeNull();
    }
}
