using System.Collections.Concurrent;
using LocalSidecar.Components;
using StackExchange.Redis;

namespace LocalSidecar.Hosting;

/// <summary>
/// Hands each component the storage it runs on. With <see cref="BackendKind.Redis"/> that is a shared connection per
/// redisHost/redisDB; with <see cref="BackendKind.Memory"/> it is an in-process <see cref="MemoryKeyspace"/> per
/// redisHost/redisDB, so two components that would share one Redis server share one keyspace here too.
/// <c>*.in-memory</c> component types always get a private keyspace, as in daprd.
/// </summary>
public sealed class BackendProvider(BackendKind kind) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> _redis = new();
    private readonly ConcurrentDictionary<string, MemoryKeyspace> _memory = new();

    public BackendKind Kind { get; } = kind;

    /// <summary>True when this component must run on the embedded engine.</summary>
    public bool UsesMemory(ComponentSpec spec) => Kind == BackendKind.Memory || spec.Type.EndsWith(".in-memory", StringComparison.Ordinal);

    public MemoryKeyspace Memory(ComponentSpec spec)
    {
        var key = spec.Type.EndsWith(".in-memory", StringComparison.Ordinal)
            ? $"component:{spec.Name}"
            : $"redis:{RedisHost(spec)}/{spec.GetInt("redisDB") ?? 0}";
        return _memory.GetOrAdd(key, _ => new MemoryKeyspace());
    }

    public Task<ConnectionMultiplexer> RedisAsync(ComponentSpec spec)
    {
        var host = RedisHost(spec);
        var db = spec.GetInt("redisDB") ?? 0;
        var key = $"{host}/{db}/{spec.Get("redisUsername")}/{spec.Get("enableTLS")}";
        return _redis.GetOrAdd(key, _ => new Lazy<Task<ConnectionMultiplexer>>(async () =>
        {
            var options = ConfigurationOptions.Parse(host);
            options.DefaultDatabase = db;
            options.Password = spec.Get("redisPassword") is { Length: > 0 } p ? p : null;
            options.User = spec.Get("redisUsername") is { Length: > 0 } u ? u : null;
            options.Ssl = spec.GetBool("enableTLS");
            options.AbortOnConnectFail = false;
            options.AllowAdmin = true; // INFO replication: contrib checks for replicas (strong consistency, lock init)
            options.ConnectRetry = 3;
            options.ConnectTimeout = 5000;
            return await ConnectionMultiplexer.ConnectAsync(options);
        })).Value;
    }

    public static string RedisHost(ComponentSpec spec) =>
        spec.Get("redisHost") is { Length: > 0 } host ? host
            : throw new InvalidDataException($"component '{spec.Name}' ({spec.SourceFile}) needs metadata redisHost");

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _redis.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                await lazy.Value.Result.DisposeAsync();
        }

        foreach (var keyspace in _memory.Values)
            keyspace.Dispose();
    }
}

/// <summary>
/// One embedded "Redis server": a bag of named structures that each engine creates on first use
/// (the state hashes, the lock strings, the streams). Engines own their locking.
/// </summary>
public sealed class MemoryKeyspace : IDisposable
{
    private readonly ConcurrentDictionary<string, object> _parts = new();

    public T Part<T>(string name, Func<T> create) where T : class => (T)_parts.GetOrAdd(name, _ => create());

    public void Dispose()
    {
        foreach (var part in _parts.Values.OfType<IDisposable>())
            part.Dispose();
    }
}
