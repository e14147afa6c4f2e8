using System.Collections.Concurrent;
using Grpc.Core;
using LocalSidecar.Api;

namespace LocalSidecar.Actors;

/// <summary>
/// Reminders and timers of the actors this sidecar hosts. Each firing takes the actor's turn. Reminders outlive
/// deactivation (they activate the actor again); timers die with it, as in daprd.
/// Choice: reminders live in this sidecar's memory (daprd 1.16 keeps them in its Scheduler service), so they end
/// when the hosting sidecar stops.
/// </summary>
public sealed class ActorScheduler
{
    private readonly ConcurrentDictionary<string, ActorSchedule> _reminders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ActorSchedule> _timers = new(StringComparer.Ordinal);
    private readonly ActorRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly ILogger<ActorScheduler> _logger;

    public ActorScheduler(ActorRuntime runtime, TimeProvider time, ILogger<ActorScheduler> logger)
    {
        _runtime = runtime;
        _time = time;
        _logger = logger;
        runtime.Deactivated += CancelTimers;
    }

    public ActorSchedule Parse(string type, string id, string name, ActorScheduleRequest request, bool isTimer)
    {
        var now = _time.GetUtcNow();
        var (code, what) = isTimer ? ("ERR_ACTOR_TIMER_CREATE", "error creating actor timer") : ("ERR_ACTOR_REMINDER_CREATE", "error creating actor reminder");
        DaprError Bad(string detail) => new(500, code, $"{what}: {detail}", StatusCode.Internal);

        if (!ActorDurations.TryParseDueTime(request.DueTime, now, out var due))
            throw Bad($"failed to parse dueTime: {request.DueTime}");
        if (!ActorDurations.TryParsePeriod(request.Period, out var period))
            throw Bad($"failed to parse period: {request.Period}");
        if (period is { Interval.Ticks: <= 0 })
            throw Bad($"period must be positive: {request.Period}");
        if (!ActorDurations.TryParseExpiry(request.Ttl, due, out var expiry))
            throw Bad($"failed to parse ttl: {request.Ttl}");
        return new ActorSchedule
        {
            Type = type, Id = id, Name = name, IsTimer = isTimer, Request = request,
            FirstDue = due, Period = period, Expiry = expiry,
        };
    }

    public void Register(ActorSchedule schedule)
    {
        var table = schedule.IsTimer ? _timers : _reminders;
        if (table.TryGetValue(schedule.Key, out var previous))
            previous.Cancellation.Cancel();
        table[schedule.Key] = schedule;
        _ = Task.Run(() => RunAsync(schedule));
    }

    public ActorSchedule? GetReminder(string type, string id, string name) =>
        _reminders.GetValueOrDefault($"{type}||{id}||{name}");

    public void Unregister(string type, string id, string name, bool isTimer)
    {
        var table = isTimer ? _timers : _reminders;
        if (table.TryRemove($"{type}||{id}||{name}", out var schedule))
            schedule.Cancellation.Cancel();
    }

    public void StopAll()
    {
        foreach (var schedule in _reminders.Values.Concat(_timers.Values))
            schedule.Cancellation.Cancel();
    }

    private void CancelTimers(string type, string id)
    {
        var prefix = $"{type}||{id}||";
        foreach (var (key, schedule) in _timers)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && _timers.TryRemove(new KeyValuePair<string, ActorSchedule>(key, schedule)))
                schedule.Cancellation.Cancel();
        }
    }

    private async Task RunAsync(ActorSchedule schedule)
    {
        var cancellation = schedule.Cancellation.Token;
        var next = schedule.FirstDue;
        var fired = 0;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                if (schedule.Expiry is { } expiry && next > expiry)
                    break;
                var delay = next - _time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                    await Task.Delay(delay, _time, cancellation);
                var keepGoing = await FireAsync(schedule, cancellation);
                fired++;
                if (!keepGoing || schedule.Period is not { } period || (period.Repetitions is { } count && fired >= count))
                    break;
                next += period.Interval;
                var now = _time.GetUtcNow();
                if (next < now)
                    next = now;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var table = schedule.IsTimer ? _timers : _reminders;
        table.TryRemove(new KeyValuePair<string, ActorSchedule>(schedule.Key, schedule));
    }

    /// <summary>Fires once; false when the app cancelled the reminder/timer (X-DaprReminderCancel) or the timer's actor is gone.</summary>
    private async Task<bool> FireAsync(ActorSchedule schedule, CancellationToken cancellation)
    {
        var method = (schedule.IsTimer ? "timer/" : "remind/") + schedule.Name;
        var request = new ActorAppRequest(method, schedule.FiringBody(), "application/json", []);
        try
        {
            var config = await _runtime.Config.WaitAsync(cancellation);
            if (!config.Types.ContainsKey(schedule.Type))
                return false;
            // Timers and reminders never re-enter: they take the turn without a reentrancy id.
            var response = await _runtime.WithTurnAsync(schedule.Type, schedule.Id, reentrancyId: null, activate: !schedule.IsTimer,
                ct => _runtime.SendToAppAsync(schedule.Type, schedule.Id, request, ct), cancellation);
            if (response is null)
                return false;
            if (response.Status != 200)
                _logger.LogWarning("actors: {Kind} {Key} answered {Status}", schedule.IsTimer ? "timer" : "reminder", schedule.Key, response.Status);
            return !(response.Status == 200 && response.CancelsReminder);
        }
        catch (HttpRequestException e)
        {
            // Choice: a failed firing is logged and the schedule goes on (daprd retries it under its resiliency policy).
            _logger.LogWarning("actors: {Kind} {Key} failed: {Error}", schedule.IsTimer ? "timer" : "reminder", schedule.Key, e.Message);
            return true;
        }
    }
}
