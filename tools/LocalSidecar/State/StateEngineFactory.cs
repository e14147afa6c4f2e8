using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.State;

/// <summary>Builds the engine behind a state component: real Redis or the embedded engine, per <see cref="BackendProvider"/>.</summary>
public static class StateEngineFactory
{
    public static Task<IStateEngine> CreateAsync(ComponentSpec spec, BackendProvider backends) =>
        throw new NotImplementedException($"state engine for {spec.Type} is not built yet");
}
