using Grpc.Core;
using LocalSidecar.Api;
using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.State;

/// <summary>The state components of one sidecar, looked up by name with daprd's errors; also names the actor state store.</summary>
public sealed class StateStoreRegistry
{
    private readonly Dictionary<string, StateStore> _stores = new(StringComparer.Ordinal);

    public StateStoreRegistry(SidecarContext context)
    {
        var backends = context.Cluster.Backends;
        var problems = new List<ComponentProblem>();
        foreach (var spec in context.OfCategory("state"))
        {
            try
            {
                _stores[spec.Name] = new StateStore(spec, StateKeys.For(spec, context.AppId, context.Options.Namespace),
                    () => StateEngineFactory.CreateAsync(spec, backends));
            }
            catch (InvalidDataException e)
            {
                problems.Add(new ComponentProblem(spec.SourceFile, e.Message, Fatal: true));
                continue;
            }

            if (!spec.GetBool("actorStateStore"))
                continue;
            if (ActorStore is not null)
            {
                problems.Add(new ComponentProblem(spec.SourceFile,
                    $"detected duplicate actor state store: {ActorStore.Name} and {spec.Name}", Fatal: true));
                continue;
            }

            ActorStore = _stores[spec.Name];
        }

        if (problems.Count > 0)
            throw new SidecarStartException(context.AppId, problems);
    }

    /// <summary>The one component with actorStateStore=true, or null when actors have no state store.</summary>
    public StateStore? ActorStore { get; }

    /// <summary>The engine actor state goes to (actor keys are not prefixed by keyPrefix: the actors feature builds them).</summary>
    public Task<IStateEngine>? ActorStateEngineAsync() => ActorStore?.EngineAsync();

    public IReadOnlyCollection<StateStore> Stores => _stores.Values;

    public StateStore Get(string name)
    {
        if (_stores.Count == 0)
            throw new DaprError(500, "ERR_STATE_STORE_NOT_CONFIGURED", "state store is not configured", StatusCode.FailedPrecondition);
        if (!_stores.TryGetValue(name, out var store))
            throw new DaprError(400, "ERR_STATE_STORE_NOT_FOUND", $"state store {name} is not found", StatusCode.InvalidArgument, "DAPR_STATE_NOT_FOUND");
        return store;
    }
}
