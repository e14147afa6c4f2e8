namespace LocalSidecar.Hosting;

/// <summary>Active actors per type, for /v1.0/metadata and gRPC GetMetadata (implemented by the actors feature).</summary>
public interface IActorMetadataSource
{
    IReadOnlyList<(string Type, int Count)> ActiveActors();
}

/// <summary>One subscription as /v1.0/metadata lists it.</summary>
public sealed record SubscriptionInfo(string PubsubName, string Topic, IReadOnlyList<(string? Match, string Path)> Rules,
    string? DeadLetterTopic, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The app's subscriptions (implemented by the pub/sub feature).</summary>
public interface ISubscriptionMetadataSource
{
    IReadOnlyList<SubscriptionInfo> Subscriptions();
}
