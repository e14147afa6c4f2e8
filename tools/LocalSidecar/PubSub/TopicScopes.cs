using Grpc.Core;
using LocalSidecar.Api;

namespace LocalSidecar.PubSub;

/// <summary>
/// Which topics of one pubsub component one app may publish and subscribe to, from the component's metadata
/// (dapr/dapr pkg/scopes/scopes.go and pkg/runtime/pubsub/adapter.go IsOperationAllowed, v1.16):
/// <c>publishingScopes</c> / <c>subscriptionScopes</c> "app1=topic1,topic2;app2=topic3" (spaces removed, an app
/// listed with "=" and nothing after it gets the one topic "" so it may use none), <c>allowedTopics</c> (no other
/// topic exists for anyone) and <c>protectedTopics</c> (a topic only apps scoped to it may use). Names are matched
/// case-insensitively, topics exactly.
/// </summary>
public sealed class TopicScopes
{
    public const string SubscriptionScopesKey = "subscriptionScopes";
    public const string PublishingScopesKey = "publishingScopes";
    public const string AllowedTopicsKey = "allowedTopics";
    public const string ProtectedTopicsKey = "protectedTopics";

    public TopicScopes(string appId, IReadOnlyDictionary<string, string> metadata)
    {
        AppId = appId;
        ScopedSubscriptions = ScopedTopics(SubscriptionScopesKey, appId, metadata);
        ScopedPublishings = ScopedTopics(PublishingScopesKey, appId, metadata);
        AllowedTopics = ParamTopics(AllowedTopicsKey, metadata);
        ProtectedTopics = ParamTopics(ProtectedTopicsKey, metadata);
    }

    public string AppId { get; }
    public IReadOnlyList<string> ScopedSubscriptions { get; }
    public IReadOnlyList<string> ScopedPublishings { get; }
    public IReadOnlyList<string> AllowedTopics { get; }
    public IReadOnlyList<string> ProtectedTopics { get; }

    public bool MayPublish(string topic) => IsOperationAllowed(topic, AllowedTopics, ProtectedTopics, ScopedPublishings);

    public bool MaySubscribe(string topic) => IsOperationAllowed(topic, AllowedTopics, ProtectedTopics, ScopedSubscriptions);

    /// <summary>daprd's refusal of a publish (pkg/api/errors/pubsub.go PublishForbidden): 403 / PermissionDenied.</summary>
    public DaprError Forbidden(string pubsubName, string topic)
    {
        var message = $"topic {topic} is not allowed for app id {AppId}";
        return new DaprError(403, "ERR_PUBSUB_FORBIDDEN", message, StatusCode.PermissionDenied, "DAPR_PUBSUB_FORBIDDEN")
        {
            ReasonMetadata = new Dictionary<string, string> { ["error"] = message, ["topic"] = topic },
            Resource = new DaprErrorResource("pubsub", pubsubName, "", message),
        };
    }

    public static bool IsOperationAllowed(string topic, IReadOnlyList<string> allowedTopics, IReadOnlyList<string> protectedTopics,
        IReadOnlyList<string> scopedTopics)
    {
        if (allowedTopics.Count > 0 && !allowedTopics.Contains(topic, StringComparer.Ordinal))
            return false;
        var isProtected = protectedTopics.Contains(topic, StringComparer.Ordinal);
        if (!isProtected && scopedTopics.Count == 0)
            return true; // no scope for this app: every (allowed, unprotected) topic
        return scopedTopics.Contains(topic, StringComparer.Ordinal);
    }

    public static IReadOnlyList<string> ScopedTopics(string scope, string appId, IReadOnlyDictionary<string, string> metadata)
    {
        var topics = new List<string>();
        if (Find(scope, metadata) is not { Length: > 0 } value)
            return topics;
        foreach (var app in value.Replace(" ", "", StringComparison.Ordinal).Split(';'))
        {
            var appTopics = app.Split('=');
            if (appTopics.Length < 2 || appTopics[0] != appId)
                continue;
            foreach (var topic in appTopics[1].Split(','))
            {
                if (!topics.Contains(topic, StringComparer.Ordinal))
                    topics.Add(topic);
            }
        }

        return topics;
    }

    public static IReadOnlyList<string> ParamTopics(string param, IReadOnlyDictionary<string, string> metadata)
    {
        var topics = new List<string>();
        if (Find(param, metadata) is not { Length: > 0 } value)
            return topics;
        foreach (var topic in value.Replace(" ", "", StringComparison.Ordinal).Split(','))
        {
            if (!topics.Contains(topic, StringComparer.Ordinal))
                topics.Add(topic);
        }

        return topics;
    }

    private static string? Find(string name, IReadOnlyDictionary<string, string> metadata) =>
        metadata.FirstOrDefault(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
