using System.Collections.Concurrent;

namespace LocalSidecar.Conformance.Tests.Actors;

/// <summary>What an actor app saw (deactivations, reminder and timer firings), for assertions with polling.</summary>
public sealed class ActorAppEvents
{
    private readonly ConcurrentQueue<ActorAppEvent> _events = new();

    public void Record(string kind, string type, string id, string name = "", string body = "") =>
        _events.Enqueue(new ActorAppEvent(kind, type, id, name, body));

    public IReadOnlyList<ActorAppEvent> Of(string kind, string id) => _events.Where(e => e.Kind == kind && e.Id == id).ToList();

    /// <summary>Polls every 50 ms up to <paramref name="timeout"/> (5 s by default) for at least <paramref name="count"/> events.</summary>
    public async Task<IReadOnlyList<ActorAppEvent>> WaitForAsync(string kind, string id, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var found = Of(kind, id);
            if (found.Count >= count || DateTime.UtcNow > deadline)
                return found;
            await Task.Delay(50);
        }
    }
}

public sealed record ActorAppEvent(string Kind, string Type, string Id, string Name, string Body);
