using LocalSidecar.Hosting;

namespace DaprReservations.Testing;

public enum SidecarBackend
{
    /// <summary>Real redis-server (started once per test run).</summary>
    Redis,

    /// <summary>The local sidecar's embedded backend.</summary>
    Memory,
}

/// <summary>
/// One app of a <see cref="DaprSystem"/>: its app id, its project folder (from the repo root) and its dll; a fixed
/// <c>AppPort</c> when other apps must know its address before it starts (an identity provider's issuer URL).
/// </summary>
public sealed record AppSpec(string AppId, string ProjectDir, string AssemblyFile, Dictionary<string, string>? Env = null, int? AppPort = null);

public sealed class DaprSystemOptions
{
    public SidecarBackend Backend { get; init; } = SidecarBackend.Redis;

    public required IReadOnlyList<AppSpec> Apps { get; init; }

    /// <summary>More component documents (YAML; "{redisHost}" is replaced) beside statestore, cache, lockstore, pubsub.</summary>
    public IReadOnlyList<string> ExtraComponents { get; init; } = [];

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The mesh of local runs and AKS instead of the test components: each app's sidecar loads
    /// components/config/{app}.yaml (accessControl, deny by default) and the components of components/local (topic
    /// scopes) pointed at the test's Redis. The tester sidecar is then an app nobody allows.
    /// </summary>
    public bool WithRepoMesh { get; init; }

    internal BackendKind Kind => Backend == SidecarBackend.Redis ? BackendKind.Redis : BackendKind.Memory;
}
