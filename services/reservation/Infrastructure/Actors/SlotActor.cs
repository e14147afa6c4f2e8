using Dapr.Actors.Runtime;
using Microsoft.Extensions.Options;
using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.State;

namespace Reservation.Infrastructure.Actors;

/// <summary>
/// Holds one slot's state in actor state and runs each command inside the actor's turn (the runtime saves the state
/// before the reply leaves). A reminder at the earliest expiry prunes holds nobody writes to.
/// </summary>
public sealed class SlotActor(
    ActorHost host,
    ISlotSeeder seeder,
    HoldEvents events,
    IServiceProvider services,
    TimeProvider time,
    IOptions<ReservationOptions> options,
    IOptions<ReservationLimits> limits) : Actor(host), ISlotActor, IRemindable
{
    private const string StateKey = "slot";
    private const string ExpiryReminder = "expiry";
    private readonly ReservationOptions settings = options.Value;
    private DateTimeOffset? reminderDue;

    public async Task<SlotCommandReply> Execute(SlotCommandRequest request)
    {
        var state = await LoadAsync();
        if (state is null)
            return new SlotCommandReply(false, null, null, null, []);

        var command = (ISlotCommand)SlotWire.Unpack(request.CommandType, request.Command);
        var now = time.GetUtcNow();
        var (next, outcome, expired) = Run(command, state, now);
        // A refusal changes nothing; skipping the write keeps a sold-out storm from rewriting the same state.
        if (!ReferenceEquals(next, state) || !(await StateManager.ContainsStateAsync(StateKey)))
            await StateManager.SetStateAsync(StateKey, next);
        await ScheduleAsync(next, now);
        return new SlotCommandReply(true, next, outcome.GetType().FullName, SlotWire.PackOutcome(outcome), expired);
    }

    public async Task<SlotCommandReply> Read()
    {
        var state = await LoadAsync();
        return new SlotCommandReply(state is not null, state, null, null, []);
    }

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        var current = await LoadAsync();
        if (current is null)
            return;
        var now = time.GetUtcNow();
        var (next, _, expired) = Run(new PruneCommand(), current, now);
        await StateManager.SetStateAsync(StateKey, next);
        await events.AnnounceExpiredAsync(next.SlotId, expired);

        // Settling goes through the ledger and back into this actor, so it must run after this turn, not inside it.
        foreach (var overdue in next.OverdueConfirms(now, settings.ConfirmGrace))
            _ = Task.Run(() => services.GetRequiredService<HoldService>().SettleOverdueAsync(next.SlotId, overdue.HoldId, CancellationToken.None));

        reminderDue = null;
        await ScheduleAsync(next, now);
    }

    private async Task<SlotState?> LoadAsync()
    {
        var stored = await StateManager.TryGetStateAsync<SlotState>(StateKey);
        return stored.HasValue ? stored.Value : await seeder.SeedAsync(Id.GetId(), CancellationToken.None);
    }

    private (SlotState Next, object Outcome, IReadOnlyList<Hold> Expired) Run(ISlotCommand command, SlotState state, DateTimeOffset now)
    {
        var decision = SlotDecisions.WithPruning(state, now, current => command.DecideUntyped(current, now), settings.TombstoneRetention,
            limits.Value.MaxSettledPerSlot);
        return (decision.NewState ?? state, decision.Outcome, decision.Expired);
    }

    /// <summary>One reminder per slot, moved only when something now expires earlier than it is set for.</summary>
    private async Task ScheduleAsync(SlotState state, DateTimeOffset now)
    {
        var confirming = state.Holds.Where(h => h.Status == HoldStatus.Confirming).Select(h => (DateTimeOffset?)(h.ExpiresAt + settings.ConfirmGrace)).Min();
        var due = new[] { state.NextExpiry, confirming }.Where(d => d.HasValue).Min();
        if (due is null)
        {
            if (reminderDue is not null)
                await UnregisterReminderAsync(ExpiryReminder);
            reminderDue = null;
            return;
        }

        if (reminderDue is { } current && current <= due)
            return;
        var dueTime = due.Value - now;
        await RegisterReminderAsync(ExpiryReminder, null, dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime, settings.SweepInterval);
        reminderDue = due;
    }
}
