using Grpc.Core;
using LocalSidecar.Api;

namespace LocalSidecar.Actors;

/// <summary>The reminder and timer API rules: reminders need a type this sidecar hosts, timers an actor active here.</summary>
public sealed class ActorScheduleApi(ActorRuntime runtime, ActorScheduler scheduler)
{
    private static readonly TimeSpan ConfigWait = TimeSpan.FromSeconds(5);

    public async Task RegisterReminderAsync(string type, string id, string name, ActorScheduleRequest request, CancellationToken cancellationToken)
    {
        await RequireHostedAsync(type, cancellationToken);
        scheduler.Register(scheduler.Parse(type, id, name, request, isTimer: false));
    }

    public async Task<byte[]> GetReminderAsync(string type, string id, string name, CancellationToken cancellationToken)
    {
        await RequireHostedAsync(type, cancellationToken);
        // Choice: a missing reminder is an error (daprd 1.16's Scheduler answers NotFound).
        return scheduler.GetReminder(type, id, name)?.Describe()
            ?? throw new DaprError(500, "ERR_ACTOR_REMINDER_GET", $"error getting actor reminder: reminder {name} not found", StatusCode.Internal);
    }

    public async Task UnregisterReminderAsync(string type, string id, string name, CancellationToken cancellationToken)
    {
        await RequireHostedAsync(type, cancellationToken);
        scheduler.Unregister(type, id, name, isTimer: false);
    }

    public async Task RegisterTimerAsync(string type, string id, string name, ActorScheduleRequest request, CancellationToken cancellationToken)
    {
        await runtime.ConfigAsync(ConfigWait, cancellationToken);
        if (!runtime.IsActive(type, id))
        {
            throw new DaprError(500, "ERR_ACTOR_TIMER_CREATE",
                $"error creating actor timer: can't create timer for actor {type}||{id}: actor not activated", StatusCode.Internal);
        }

        scheduler.Register(scheduler.Parse(type, id, name, request, isTimer: true));
    }

    public void UnregisterTimer(string type, string id, string name) => scheduler.Unregister(type, id, name, isTimer: true);

    private async Task RequireHostedAsync(string type, CancellationToken cancellationToken)
    {
        if (!(await runtime.ConfigAsync(ConfigWait, cancellationToken)).Types.ContainsKey(type))
        {
            throw new DaprError(403, "ERR_ACTOR_REMINDER_NON_HOSTED",
                "operations on actor reminders are only possible on hosted actor types", StatusCode.PermissionDenied);
        }
    }
}
