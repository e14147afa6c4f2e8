using Reservation.Infrastructure.State;

namespace Reservation.Tests.State;

/// <summary>The per-key gate behind confirm and customer-count turns: exclusive per key, and empty when idle.</summary>
public sealed class KeyedGateTests
{
    [Fact]
    public async Task A_key_has_one_holder_at_a_time_and_its_entry_goes_when_the_last_user_leaves()
    {
        var gate = new KeyedGate();
        var first = await gate.EnterAsync("slot-1", CancellationToken.None);
        var second = gate.EnterAsync("slot-1", CancellationToken.None);
        var other = await gate.EnterAsync("slot-2", CancellationToken.None);

        second.IsCompleted.Should().BeFalse("slot-1 is held");
        gate.Count.Should().Be(2);
        other.Dispose();
        first.Dispose();
        (await second).Dispose();

        gate.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_no_entry_behind()
    {
        var gate = new KeyedGate();
        var holder = await gate.EnterAsync("slot-1", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiter = gate.EnterAsync("slot-1", cancel.Token);

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => waiter).Should().ThrowAsync<OperationCanceledException>();
        holder.Dispose();
        holder.Dispose();

        gate.Count.Should().Be(0);
        (await gate.EnterAsync("slot-1", CancellationToken.None)).Dispose();
    }
}
