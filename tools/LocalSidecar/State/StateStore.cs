using System.Globalization;
using Grpc.Core;
using LocalSidecar.Api;
using LocalSidecar.Components;

namespace LocalSidecar.State;

/// <summary>
/// One state component as daprd's API layer uses it: key prefixing, option and ttl checks (the parts contrib does
/// before its scripts) and daprd's error mapping (§1.10: dapr:pkg/api/http/http.go, dapr:pkg/api/grpc/grpc.go).
/// </summary>
public sealed class StateStore
{
    private readonly Lazy<Task<IStateEngine>> _engine;
    private readonly string? _defaultTtl;

    public StateStore(ComponentSpec spec, StateKeys keys, Func<Task<IStateEngine>> createEngine)
    {
        Spec = spec;
        Keys = keys;
        _defaultTtl = spec.Get("ttlInSeconds");
        _engine = new Lazy<Task<IStateEngine>>(createEngine);
    }

    public ComponentSpec Spec { get; }
    public string Name => Spec.Name;
    public StateKeys Keys { get; }

    /// <summary>The engine, created on first use (a Redis connection failure surfaces as a 500 on that call).</summary>
    public Task<IStateEngine> EngineAsync() => _engine.Value;

    public async Task<StoredState?> GetAsync(string key)
    {
        var stored = Keys.Stored(key);
        try
        {
            return await (await EngineAsync()).GetAsync(stored);
        }
        catch (Exception e) when (e is not DaprError)
        {
            throw new DaprError(500, "ERR_STATE_GET", $"fail to get {key} from state store {Name}: {e.Message}", StatusCode.Internal);
        }
    }

    /// <summary>One parallel Get per key (contrib's DefaultBulkStore): order kept, per-key errors reported in the item.</summary>
    public async Task<IReadOnlyList<BulkGetItem>> BulkGetAsync(IReadOnlyList<string> keys, int parallelism)
    {
        var storedKeys = keys.Select(Keys.Stored).ToList();
        var engine = await EngineAsync();
        var results = new BulkGetItem[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : -1 },
            async (i, _) =>
            {
                try
                {
                    var state = await engine.GetAsync(storedKeys[i]);
                    results[i] = new BulkGetItem(keys[i], state?.Data, state?.ETag, null);
                }
                catch (Exception e)
                {
                    results[i] = new BulkGetItem(keys[i], null, null, e.Message);
                }
            });
        return results;
    }

    /// <summary>One item is a Set; more is contrib's BulkSet: not atomic, each item on its own, successful ones stay.</summary>
    public async Task SaveAsync(IReadOnlyList<SaveRequest> items)
    {
        var sets = items.Select(i => (Item: i, Key: Keys.Stored(i.Key))).ToList();
        if (sets.Count == 0)
            return;
        var engine = await EngineAsync();
        var errors = new List<Exception>();
        foreach (var (item, key) in sets)
        {
            try
            {
                CheckOptions(item.Concurrency, item.Consistency);
                await engine.SetAsync(new StateSet(key, item.Value, NullIfEmpty(item.ETag), item.Concurrency, ParseTtl(item.Metadata))
                {
                    Consistency = item.Consistency,
                });
            }
            catch (Exception e) when (e is ETagException or StateStoreException or StackExchange.Redis.RedisException)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
            throw Failure(errors, "ERR_STATE_SAVE", $"failed saving state in state store {Name}");
    }

    public async Task DeleteAsync(DeleteRequest item)
    {
        var key = Keys.Stored(item.Key);
        try
        {
            CheckOptions(item.Concurrency, item.Consistency);
            await (await EngineAsync()).DeleteAsync(new StateDelete(key, NullIfEmpty(item.ETag)));
        }
        catch (Exception e) when (e is ETagException or StateStoreException or StackExchange.Redis.RedisException)
        {
            throw Failure([e], "ERR_STATE_DELETE", $"failed deleting state with key {item.Key}");
        }
    }

    /// <summary>contrib's BulkDelete: each key on its own, the deleted ones stay deleted when another fails.</summary>
    public async Task DeleteBulkAsync(IReadOnlyList<DeleteRequest> items)
    {
        var deletes = items.Select(i => (Item: i, Key: Keys.Stored(i.Key))).ToList();
        var engine = await EngineAsync();
        var errors = new List<Exception>();
        foreach (var (item, key) in deletes)
        {
            try
            {
                CheckOptions(item.Concurrency, item.Consistency);
                await engine.DeleteAsync(new StateDelete(key, NullIfEmpty(item.ETag)));
            }
            catch (Exception e) when (e is ETagException or StateStoreException or StackExchange.Redis.RedisException)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
            throw Failure(errors, "ERR_STATE_DELETE", $"failed deleting state in state store {Name}");
    }

    /// <summary>
    /// Multi. Any failure — even an etag mismatch, even after a partial commit (Redis has no rollback) — is
    /// 500 ERR_STATE_TRANSACTION / Internal, as daprd reports it.
    /// </summary>
    public async Task TransactAsync(IReadOnlyList<TransactionOperation> operations)
    {
        var engineOperations = new List<object>(operations.Count);
        foreach (var operation in operations)
        {
            engineOperations.Add(operation switch
            {
                { OperationType: "upsert", Save: { } save } => new StateSet(Keys.Stored(save.Key), save.Value, NullIfEmpty(save.ETag), save.Concurrency, null),
                { OperationType: "delete", Delete: { } delete } => new StateDelete(Keys.Stored(delete.Key), NullIfEmpty(delete.ETag)),
                _ => throw new DaprError(400, "ERR_NOT_SUPPORTED_STATE_OPERATION",
                    $"operation type {operation.OperationType} not supported", StatusCode.InvalidArgument),
            });
        }

        try
        {
            for (var i = 0; i < operations.Count; i++)
            {
                if (operations[i].Save is { } save)
                {
                    CheckOptions(save.Concurrency, save.Consistency);
                    engineOperations[i] = (StateSet)engineOperations[i] with { TtlSeconds = ParseTtl(save.Metadata) };
                }
                else if (operations[i].Delete is { } delete)
                {
                    CheckOptions(delete.Concurrency, delete.Consistency);
                }
            }

            await (await EngineAsync()).MultiAsync(engineOperations);
        }
        catch (Exception e) when (e is ETagException or StateStoreException or StackExchange.Redis.RedisException)
        {
            throw new DaprError(500, "ERR_STATE_TRANSACTION", $"error while executing state transaction: {e.Message}", StatusCode.Internal);
        }
    }

    /// <summary>contrib's state.CheckRequestOptions, run by the store itself (so a bad value is a store error, 500).</summary>
    private static void CheckOptions(string concurrency, string consistency)
    {
        if (concurrency is not ("" or StateScripts.FirstWrite or StateScripts.LastWrite))
            throw new StateStoreException($"unrecognized concurrency model '{concurrency}'");
        if (consistency is not ("" or "strong" or "eventual"))
            throw new StateStoreException($"unrecognized consistency model '{consistency}'");
    }

    /// <summary>Request metadata ttlInSeconds, else the component's; an unparsable value fails the write before Redis.</summary>
    private int? ParseTtl(IReadOnlyDictionary<string, string> metadata)
    {
        var text = metadata.TryGetValue("ttlInSeconds", out var value) ? value : _defaultTtl;
        if (text is null)
            return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ttl))
            throw new StateStoreException($"failed to parse ttl from metadata: strconv.ParseInt: parsing \"{text}\": invalid syntax");
        return (int)Math.Clamp(ttl, int.MinValue, int.MaxValue);
    }

    private static string? NullIfEmpty(string? etag) => string.IsNullOrEmpty(etag) ? null : etag;

    /// <summary>
    /// daprd's stateErrorResponse: etag errors keep their meaning (mismatch 409/Aborted, invalid 400/InvalidArgument;
    /// for several failures 400 if any is invalid), everything else is 500/Internal.
    /// </summary>
    private static DaprError Failure(IReadOnlyList<Exception> errors, string errorCode, string context)
    {
        var message = $"{context}: {string.Join("\n", errors.Select(e => e.Message))}";
        if (errors.All(e => e is ETagException))
        {
            return errors.Any(e => e is ETagException { Kind: ETagErrorKind.Invalid })
                ? new DaprError(400, errorCode, message, StatusCode.InvalidArgument)
                : new DaprError(409, errorCode, message, StatusCode.Aborted);
        }

        return new DaprError(500, errorCode, message, StatusCode.Internal);
    }
}
