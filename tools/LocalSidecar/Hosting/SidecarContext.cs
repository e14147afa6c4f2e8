using LocalSidecar.Components;

namespace LocalSidecar.Hosting;

/// <summary>Everything one sidecar knows about itself; a singleton in that sidecar's container.</summary>
public sealed class SidecarContext(SidecarOptions options, IReadOnlyList<ComponentSpec> components, LocalCluster cluster)
{
    public SidecarOptions Options { get; } = options;
    public IReadOnlyList<ComponentSpec> Components { get; } = components;
    public LocalCluster Cluster { get; } = cluster;
    public string AppId => Options.AppId;

    /// <summary>Components of one category (state, lock, pubsub), in load order.</summary>
    public IEnumerable<ComponentSpec> OfCategory(string category) => Components.Where(c => c.Category == category);

    /// <summary>Set once the sidecar's host is built; lets one sidecar reach another's services through the cluster.</summary>
    public IServiceProvider? Services { get; internal set; }
}
