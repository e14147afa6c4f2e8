using LocalSidecar.Hosting;

namespace LocalSidecar.Actors;

/// <summary>
/// Stands in for daprd's placement service among the sidecars of one process: an actor type lives on the sidecar
/// whose app reported it in /dapr/config. (All instances of a type go to the first such sidecar; there is no hashing
/// across replicas.)
/// </summary>
public sealed class ActorPlacement(ActorRuntime local, LocalCluster cluster)
{
    // daprd's lookup waits for placement tables (observed ~5 s) before failing; this bounds the wait for
    // sidecars whose app has not answered /dapr/config yet.
    private static readonly TimeSpan LookupWait = TimeSpan.FromSeconds(5);

    public async Task<ActorRuntime?> LookupAsync(string type, CancellationToken cancellationToken)
    {
        if ((await local.ConfigAsync(LookupWait, cancellationToken)).Types.ContainsKey(type))
            return local;
        foreach (var sidecar in cluster.Sidecars)
        {
            if (sidecar.Services.GetService<ActorRuntime>() is not { } runtime || ReferenceEquals(runtime, local))
                continue;
            if ((await runtime.ConfigAsync(LookupWait, cancellationToken)).Types.ContainsKey(type))
                return runtime;
        }

        return null;
    }
}
