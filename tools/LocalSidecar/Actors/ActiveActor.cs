namespace LocalSidecar.Actors;

/// <summary>One activated actor on its hosting sidecar: its turn and when it was last used.</summary>
public sealed class ActiveActor(string type, string id, DateTimeOffset now)
{
    private long _lastUsedTicks = now.UtcTicks;

    public string Type { get; } = type;
    public string Id { get; } = id;
    public ActorTurnLock Turn { get; } = new();

    /// <summary>Set under the turn when the actor is deactivated; callers that queued behind it re-activate.</summary>
    public bool Deactivated { get; set; }

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastUsedTicks, now.UtcTicks);

    public static string Key(string type, string id) => type + "||" + id;
}
