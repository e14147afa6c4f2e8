using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// daprd's topic scoping for one pub/sub component, re-implemented from dapr/dapr pkg/scopes/scopes.go and
/// pkg/runtime/pubsub/adapter.go (IsOperationAllowed): metadata names are matched case-insensitively and spaces are
/// removed from the values; <c>allowedTopics</c> refuses any other topic; a topic outside <c>protectedTopics</c> is open
/// to an app with no scoped topics at all; otherwise the app's scoped topics decide.
/// </summary>
public sealed class DaprTopicScopes(IReadOnlyDictionary<string, string> metadata)
{
    public static DaprTopicScopes From(YamlResource component) =>
        new(component.Node.Sequence("spec.metadata")!.Children.OfType<YamlMappingNode>()
            .Where(m => m.Scalar("value") is not null)
            .ToDictionary(m => m.Scalar("name")!, m => m.Scalar("value")!));

    public bool MayPublish(string appId, string topic) => IsAllowed(topic, ScopedTopics("publishingScopes", appId));

    public bool MaySubscribe(string appId, string topic) => IsAllowed(topic, ScopedTopics("subscriptionScopes", appId));

    private bool IsAllowed(string topic, IReadOnlyList<string> scoped)
    {
        var allowed = Topics("allowedTopics");
        if (allowed.Count > 0 && !allowed.Contains(topic)) return false;
        var isProtected = Topics("protectedTopics").Contains(topic);
        if (!isProtected && scoped.Count == 0) return true;
        return scoped.Contains(topic);
    }

    /// <summary>"app1=t1,t2;app2=t3": the topics of <paramref name="appId"/> (an "app=" entry yields one empty topic).</summary>
    public IReadOnlyList<string> ScopedTopics(string parameter, string appId)
    {
        var topics = new List<string>();
        foreach (var entry in Value(parameter).Split(';'))
        {
            var parts = entry.Split('=');
            if (parts.Length < 2 || parts[0] != appId) continue;
            topics.AddRange(parts[1].Split(',').Where(t => !topics.Contains(t)));
        }
        return topics;
    }

    private List<string> Topics(string parameter) =>
        Value(parameter) is { Length: > 0 } value ? value.Split(',').Distinct().ToList() : [];

    private string Value(string parameter) =>
        metadata.FirstOrDefault(m => string.Equals(m.Key, parameter, StringComparison.OrdinalIgnoreCase)).Value?.Replace(" ", "") ?? "";
}
