namespace LocalSidecar.Conformance.Tests.Infrastructure;

/// <summary>
/// The component files the conformance suite runs with. A real daprd under test needs the same names:
/// statestore (state.redis, actorStateStore), lockstore (lock.redis), pubsub (pubsub.redis).
/// </summary>
public static class ComponentFiles
{
    public const string StateStore = "statestore";
    public const string LockStore = "lockstore";
    public const string PubSub = "pubsub";

    public static void Write(string directory, string redisHost, IEnumerable<string> extra)
    {
        File.WriteAllText(Path.Combine(directory, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {StateStore}
            spec:
              type: state.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
              - name: actorStateStore
                value: "true"
            """);
        File.WriteAllText(Path.Combine(directory, "lockstore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {LockStore}
            spec:
              type: lock.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
            """);
        // Short redelivery settings (milliseconds, as contrib reads numbers) so redelivery is observable in a test.
        File.WriteAllText(Path.Combine(directory, "pubsub.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {PubSub}
            spec:
              type: pubsub.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
              - name: processingTimeout
                value: "1000"
              - name: redeliverInterval
                value: "250"
            """);
        var i = 0;
        foreach (var document in extra)
            File.WriteAllText(Path.Combine(directory, $"extra-{i++}.yaml"), document.Replace("{redisHost}", redisHost, StringComparison.Ordinal));
    }
}
