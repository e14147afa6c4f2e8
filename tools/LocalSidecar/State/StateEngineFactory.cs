using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.State;

/// <summary>Builds the engine behind a state component: real Redis or the embedded engine, per <see cref="BackendProvider"/>.</summary>
public static class StateEngineFactory
{
    public static async Task<IStateEngine> CreateAsync(ComponentSpec spec, BackendProvider backends)
    {
        if (backends.UsesMemory(spec))
        {
            // Shared per keyspace, so sidecars and components on the same redisHost/redisDB see the same data.
            var data = backends.Memory(spec).Part("state", () => new MemoryStateData(TimeProvider.System));
            return new MemoryStateEngine(data);
        }

        return await RedisStateEngine.CreateAsync(await backends.RedisAsync(spec));
    }
}
