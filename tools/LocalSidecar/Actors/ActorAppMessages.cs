namespace LocalSidecar.Actors;

/// <summary>A call the sidecar makes to its app on an actor's behalf (always PUT /actors/{type}/{id}/method/{method}).</summary>
public sealed record ActorAppRequest(
    string Method,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers);

/// <summary>The app's answer, read in full.</summary>
public sealed record ActorAppResponse(
    int Status,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value).FirstOrDefault();

    /// <summary>The .NET SDK's way of saying "the actor method threw" while answering 200.</summary>
    public bool IsActorError => Header("X-DaprErrorResponseHeader") is not null;

    /// <summary>A recurring reminder or timer asked to stop (any truthy value, as dapr/kit's IsTruthy reads it).</summary>
    public bool CancelsReminder => Header("X-DaprReminderCancel") is { } v
        && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v is "1" or "y" or "yes" or "on");
}
