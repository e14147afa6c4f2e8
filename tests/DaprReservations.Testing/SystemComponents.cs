namespace DaprReservations.Testing;

/// <summary>The components every system test runs with: the local set, pointed at the test's Redis.</summary>
public static class SystemComponents
{
    public static void Write(string directory, string redisHost, IEnumerable<string> extra)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "components.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
              - name: actorStateStore
                value: "true"
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: cache
            spec:
              type: state.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
              - name: ttlInSeconds
                value: "60"
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: sessionstore
            spec:
              type: state.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: lockstore
            spec:
              type: lock.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
              - name: keyPrefix
                value: name
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.redis
              version: v1
              metadata:
              - name: redisHost
                value: "{redisHost}"
              - name: processingTimeout
                value: "2000"
              - name: redeliverInterval
                value: "500"
              - name: concurrency
                value: "16"
            """);
        var i = 0;
        foreach (var document in extra)
            File.WriteAllText(Path.Combine(directory, $"extra-{i++}.yaml"), document.Replace("{redisHost}", redisHost, StringComparison.Ordinal));
    }

    /// <summary>components/local as local runs have it (topic scopes included), with Redis at <paramref name="redisHost"/>.</summary>
    public static void CopyLocal(string directory, string redisHost)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoLayout.Root, "components", "local"), "*.yaml"))
            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)),
                File.ReadAllText(file).Replace("localhost:6379", redisHost, StringComparison.Ordinal));
    }
}
