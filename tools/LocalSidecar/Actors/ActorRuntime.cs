using System.Collections.Concurrent;
using LocalSidecar.Hosting;

namespace LocalSidecar.Actors;

/// <summary>
/// The actors hosted by one sidecar's app: the types its /dapr/config reported, the activated instances, one turn
/// per instance, and idle deactivation (DELETE /actors/{type}/{id}, which the SDK never does itself).
/// </summary>
public sealed class ActorRuntime(SidecarContext context, AppChannel channel, TimeProvider time, ILogger<ActorRuntime> logger)
    : IActorMetadataSource
{
    private readonly ConcurrentDictionary<string, ActiveActor> _actors = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<ActorAppConfig> _config = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string AppId => context.AppId;

    /// <summary>Raised (type, id) after an actor is deactivated; its timers die with it.</summary>
    public event Action<string, string>? Deactivated;

    /// <summary>Completes once /dapr/config has been read (with no types when the app has none or no app runs).</summary>
    public Task<ActorAppConfig> Config => _config.Task;

    public void SetConfig(ActorAppConfig config) => _config.TrySetResult(config);

    /// <summary>The hosted types, waiting up to <paramref name="wait"/> for the app's config (daprd's lookups wait too).</summary>
    public async Task<ActorAppConfig> ConfigAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return await Config.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return ActorAppConfig.Empty;
        }
    }

    public bool Hosts(string type) => Config.IsCompletedSuccessfully && Config.Result.Types.ContainsKey(type);

    public bool IsActive(string type, string id) => _actors.ContainsKey(ActiveActor.Key(type, id));

    public IReadOnlyList<(string Type, int Count)> ActiveActors()
    {
        if (!Config.IsCompletedSuccessfully)
            return [];
        var counts = _actors.Values.GroupBy(a => a.Type).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return Config.Result.Types.Keys.Order(StringComparer.Ordinal)
            .Select(t => (t, counts.GetValueOrDefault(t))).ToList();
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the actor's turn, activating it first. With <paramref name="activate"/>
    /// false (timers) nothing runs for an actor that is no longer active, and null is returned.
    /// </summary>
    public async Task<T?> WithTurnAsync<T>(string type, string id, string? reentrancyId, bool activate,
        Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) where T : class
    {
        var settings = Config.Result.Types[type];
        while (true)
        {
            var key = ActiveActor.Key(type, id);
            ActiveActor actor;
            if (activate)
                actor = _actors.GetOrAdd(key, _ => new ActiveActor(type, id, time.GetUtcNow()));
            else if (!_actors.TryGetValue(key, out actor!))
                return null;

            using (await actor.Turn.EnterAsync(settings.ReentrancyEnabled ? reentrancyId : null, settings.MaxStackDepth, cancellationToken))
            {
                if (actor.Deactivated)
                {
                    if (!activate)
                        return null;
                    continue;
                }

                actor.Touch(time.GetUtcNow());
                try
                {
                    return await work(cancellationToken);
                }
                finally
                {
                    actor.Touch(time.GetUtcNow());
                }
            }
        }
    }

    /// <summary>PUT /actors/{type}/{id}/method/{method} to the app; the caller holds the actor's turn.</summary>
    public async Task<ActorAppResponse> SendToAppAsync(string type, string id, ActorAppRequest request, CancellationToken cancellationToken)
    {
        var http = channel.Http ?? throw new InvalidOperationException($"app channel for actor type {type} is nil");
        var path = $"actors/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}/method/" +
                   string.Join('/', request.Method.Split('/').Select(Uri.EscapeDataString));
        using var message = channel.CreateRequest(HttpMethod.Put, path);
        message.Content = new ByteArrayContent(request.Body);
        if (!string.IsNullOrEmpty(request.ContentType))
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        foreach (var (name, values) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, values))
                message.Content.Headers.TryAddWithoutValidation(name, values);
        }

        using var response = await http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.ToArray())).ToList();
        return new ActorAppResponse((int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString(), headers);
    }

    /// <summary>Deactivates every actor idle for longer than its type's actorIdleTimeout.</summary>
    public async Task DeactivateIdleAsync(CancellationToken cancellationToken)
    {
        if (!Config.IsCompletedSuccessfully)
            return;
        var now = time.GetUtcNow();
        foreach (var actor in _actors.Values)
        {
            var timeout = Config.Result.Types[actor.Type].IdleTimeout;
            if (now - actor.LastUsed >= timeout && actor.Turn.IsIdle)
                await DeactivateAsync(actor, timeout, cancellationToken);
        }
    }

    /// <summary>On sidecar shutdown daprd deactivates everything it hosts.</summary>
    public Task DeactivateAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_actors.Values.Select(a => DeactivateAsync(a, null, cancellationToken)));

    private async Task DeactivateAsync(ActiveActor actor, TimeSpan? idleTimeout, CancellationToken cancellationToken)
    {
        using (await actor.Turn.EnterAsync(null, int.MaxValue, cancellationToken))
        {
            // A call may have slipped in while we waited for the turn.
            if (actor.Deactivated || (idleTimeout is { } t && time.GetUtcNow() - actor.LastUsed < t))
                return;
            actor.Deactivated = true;
            _actors.TryRemove(new KeyValuePair<string, ActiveActor>(ActiveActor.Key(actor.Type, actor.Id), actor));
            Deactivated?.Invoke(actor.Type, actor.Id);
            try
            {
                using var request = channel.CreateRequest(HttpMethod.Delete,
                    $"actors/{Uri.EscapeDataString(actor.Type)}/{Uri.EscapeDataString(actor.Id)}");
                using var response = await channel.Http!.SendAsync(request, cancellationToken);
                if ((int)response.StatusCode != 200)
                    logger.LogWarning("deactivating actor {Type}/{Id}: app answered {Status}", actor.Type, actor.Id, (int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                logger.LogWarning("deactivating actor {Type}/{Id} failed: {Error}", actor.Type, actor.Id, e.Message);
            }
        }
    }
}
