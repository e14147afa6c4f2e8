using System.Collections.Concurrent;

namespace LocalSidecar.Hosting;

/// <summary>
/// What several sidecars in one process share: the embedded backends (so apps see each other's state, locks and
/// topics as they would through one Redis) and a directory of app ids, which stands in for daprd's name resolution
/// (mDNS) and actor placement service.
/// </summary>
public sealed class LocalCluster(BackendKind backend) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SidecarInstance> _sidecars = new(StringComparer.Ordinal);

    public BackendProvider Backends { get; } = new(backend);

    public void Register(SidecarInstance sidecar)
    {
        if (!_sidecars.TryAdd(sidecar.Options.AppId, sidecar))
            throw new InvalidOperationException($"app id '{sidecar.Options.AppId}' already has a sidecar in this cluster");
    }

    public void Unregister(SidecarInstance sidecar) =>
        _sidecars.TryRemove(new KeyValuePair<string, SidecarInstance>(sidecar.Options.AppId, sidecar));

    public SidecarInstance? Find(string appId) => _sidecars.GetValueOrDefault(appId);

    public IReadOnlyCollection<SidecarInstance> Sidecars => _sidecars.Values.ToList();

    public ValueTask DisposeAsync() => Backends.DisposeAsync();
}
