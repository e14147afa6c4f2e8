using LocalSidecar.Hosting;

namespace LocalSidecar.PubSub.Subscriptions;

/// <summary>One programmatic subscription as daprd keeps it after reading GET /dapr/subscribe.</summary>
public sealed record Subscription(
    string PubsubName, string Topic, IReadOnlyList<RouteRule> Rules, string? DeadLetterTopic,
    IReadOnlyDictionary<string, string> Metadata)
{
    public bool RawPayload => Metadata.TryGetValue("rawPayload", out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first rule that matches, in order (the default route is last and always matches); null when none does.</summary>
    public string? Route(IReadOnlyDictionary<string, object?> cloudEvent) =>
        Rules.FirstOrDefault(r => r.Matches(cloudEvent))?.Path;

    public SubscriptionInfo ToInfo() =>
        new(PubsubName, Topic, Rules.Select(r => (r.Match, r.Path)).ToList(), DeadLetterTopic, Metadata);
}
