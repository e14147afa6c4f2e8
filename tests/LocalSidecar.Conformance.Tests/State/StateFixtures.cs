using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>
/// The standard components plus state stores with each keyPrefix strategy, all on the same Redis (or embedded
/// keyspace), and the sidecar running in namespace "ns1" so the namespace strategy has something to show.
/// </summary>
public static class PrefixStores
{
    public const string None = "prefix-none";
    public const string Name = "prefix-name";
    public const string Custom = "prefix-custom";
    public const string Namespace = "prefix-namespace";
    public const string SidecarNamespace = "ns1";

    public static IEnumerable<string> Components =>
    [
        Store(None, "none"),
        Store(Name, "name"),
        // Mixed case on purpose: daprd lower-cases the strategy, custom prefixes included.
        Store(Custom, "MyPrefix"),
        Store(Namespace, "namespace"),
    ];

    private static string Store(string name, string keyPrefix) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: state.redis
          version: v1
          metadata:
          - name: redisHost
            value: "{"{redisHost}"}"
          - name: KeyPrefix
            value: "{keyPrefix}"
        """;
}

public sealed class StateRedisFixture : RedisSidecarFixture
{
    protected override IEnumerable<string> ExtraComponents => PrefixStores.Components;

    protected override SidecarOptions Configure(SidecarOptions options) => options with { Namespace = PrefixStores.SidecarNamespace };
}

public sealed class StateMemoryFixture : MemorySidecarFixture
{
    protected override IEnumerable<string> ExtraComponents => PrefixStores.Components;

    protected override SidecarOptions Configure(SidecarOptions options) => options with { Namespace = PrefixStores.SidecarNamespace };
}
