using StackExchange.Redis;

namespace LocalSidecar.State;

/// <summary>contrib's <c>state.redis</c> on a real Redis server: hash layout data/version/first-write, scripts verbatim.</summary>
public sealed class RedisStateEngine : IStateEngine
{
    private readonly IDatabase _db;
    private readonly int _replicas;

    private RedisStateEngine(IDatabase db, int replicas)
    {
        _db = db;
        _replicas = replicas;
    }

    /// <summary>contrib counts connected replicas once, at Init; strong consistency then WAITs for them.</summary>
    public static async Task<RedisStateEngine> CreateAsync(ConnectionMultiplexer connection)
    {
        var db = connection.GetDatabase();
        var replicas = 0;
        try
        {
            foreach (var server in connection.GetServers())
            {
                var section = await server.InfoAsync("replication");
                replicas += section.SelectMany(g => g).Where(p => p.Key == "connected_slaves")
                    .Sum(p => int.TryParse(p.Value, out var n) ? n : 0);
            }
        }
        catch (Exception e) when (e is RedisException or RedisCommandException)
        {
            // (RedisCommandException: the client refuses INFO without AllowAdmin.) Like contrib, a server that will not say leaves replicas at 0.
        }

        return new RedisStateEngine(db, replicas);
    }

    public async Task<StoredState?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        HashEntry[] fields;
        try
        {
            fields = await _db.HashGetAllAsync(key);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            // A legacy plain string value: data without a version.
            var plain = await _db.StringGetAsync(key);
            return plain.IsNull ? null : new StoredState((byte[])plain!, null);
        }

        if (fields.Length == 0)
            return null;
        byte[]? data = null;
        string? version = null;
        foreach (var field in fields)
        {
            if (field.Name == "data")
                data = field.Value;
            else if (field.Name == "version")
                version = field.Value;
        }

        if (data is null || version is null)
            throw new StateStoreException("required hash field 'data' or 'version' was not found");
        return new StoredState(data, version);
    }

    public async Task SetAsync(StateSet set, CancellationToken cancellationToken = default)
    {
        var expected = StateScripts.ExpectedVersion(set);
        var firstWrite = set.Concurrency == StateScripts.FirstWrite ? "0" : "1";
        try
        {
            await _db.ExecuteAsync("EVAL", StateScripts.Set, 1, set.Key, expected, set.Value, firstWrite);
        }
        catch (RedisServerException e)
        {
            throw StateScripts.SetFailure(set, e.Message);
        }

        // Not atomic with the script, exactly like contrib: a separate EXPIRE/PERSIST; no ttl keeps the current one.
        if (set.TtlSeconds is > 0)
            await _db.KeyExpireAsync(set.Key, TimeSpan.FromSeconds(set.TtlSeconds.Value));
        else if (set.TtlSeconds is not null)
            await _db.KeyPersistAsync(set.Key);

        if (set.Consistency == "strong" && _replicas > 0)
            await _db.ExecuteAsync("WAIT", _replicas, 1000);
    }

    public async Task DeleteAsync(StateDelete delete, CancellationToken cancellationToken = default)
    {
        try
        {
            await _db.ExecuteAsync("EVAL", StateScripts.Delete, 1, delete.Key, StateScripts.DeleteVersion(delete));
        }
        catch (RedisServerException e)
        {
            throw StateScripts.DeleteFailure(e.Message);
        }
    }

    /// <summary>
    /// MULTI / EVAL… / EXEC like contrib's TxPipeline: etags are parsed before anything is sent; Redis applies every
    /// queued command even when one script errors (no rollback), and the first error is reported afterwards.
    /// </summary>
    public async Task MultiAsync(IReadOnlyList<object> operations, CancellationToken cancellationToken = default)
    {
        // Parsed up front: an invalid etag fails the whole request before anything is sent.
        var expected = operations.Select(o => o is StateSet s ? StateScripts.ExpectedVersion(s) : "").ToList();
        var transaction = _db.CreateTransaction();
        var results = new List<(Task Task, object Operation)>();
        for (var i = 0; i < operations.Count; i++)
        {
            switch (operations[i])
            {
                case StateSet set:
                    // No ARGV[3]: a transaction never writes the first-write marker.
                    results.Add((transaction.ExecuteAsync("EVAL", StateScripts.Set, 1, set.Key, expected[i], set.Value), set));
                    if (set.TtlSeconds is > 0)
                        results.Add((transaction.KeyExpireAsync(set.Key, TimeSpan.FromSeconds(set.TtlSeconds.Value)), set));
                    else if (set.TtlSeconds is not null)
                        results.Add((transaction.KeyPersistAsync(set.Key), set));
                    break;
                case StateDelete delete:
                    results.Add((transaction.ExecuteAsync("EVAL", StateScripts.Delete, 1, delete.Key, StateScripts.DeleteVersion(delete)), delete));
                    break;
                default:
                    throw new ArgumentException($"unsupported operation {operations[i].GetType().Name}", nameof(operations));
            }
        }

        await transaction.ExecuteAsync();
        foreach (var (task, operation) in results)
        {
            try
            {
                await task;
            }
            catch (RedisServerException e)
            {
                throw operation switch
                {
                    StateSet set => StateScripts.SetFailure(set, e.Message),
                    _ => StateScripts.DeleteFailure(e.Message),
                };
            }
        }
    }
}
