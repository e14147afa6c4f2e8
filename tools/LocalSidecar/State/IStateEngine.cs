namespace LocalSidecar.State;

/// <summary>A stored value and its version, as contrib's Redis state store returns it. ETag is null for a legacy plain string.</summary>
public sealed record StoredState(byte[] Data, string? ETag);

public enum ETagErrorKind
{
    Mismatch,
    Invalid,
}

/// <summary>contrib's state.ETagError: mismatch → 409/Aborted, invalid → 400/InvalidArgument.</summary>
public sealed class ETagException(ETagErrorKind kind, string message) : Exception(message)
{
    public ETagErrorKind Kind { get; } = kind;
}

/// <summary>Any other store failure (e.g. a first-write conflict without an ETag, a bad ttl): 500/Internal.</summary>
public sealed class StateStoreException(string message) : Exception(message);

/// <summary>A write of one key. <see cref="Key"/> is the full stored key (daprd has already applied keyPrefix).</summary>
/// <param name="ETag">The caller's ETag, null or "" for none.</param>
/// <param name="Concurrency">"", "first-write" or "last-write" (already validated).</param>
/// <param name="TtlSeconds">Null keeps an existing TTL, &lt;= 0 persists, &gt; 0 expires.</param>
public sealed record StateSet(string Key, byte[] Value, string? ETag, string Concurrency, int? TtlSeconds)
{
    /// <summary>"", "strong" or "eventual" (already validated). Strong waits for replicas, when there are any.</summary>
    public string Consistency { get; init; } = "";
}

public sealed record StateDelete(string Key, string? ETag);

/// <summary>
/// The semantics of components-contrib's <c>state.redis</c>, on real Redis (its Lua scripts verbatim) or embedded
/// memory (the same decision table in C#). See shared/reference/dapr-semantics.md §1.
/// </summary>
public interface IStateEngine
{
    Task<StoredState?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="ETagException"/> or <see cref="StateStoreException"/>.</summary>
    Task SetAsync(StateSet set, CancellationToken cancellationToken = default);

    Task DeleteAsync(StateDelete delete, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the operations in order, like Redis MULTI/EXEC: no rollback; a failed operation does not stop the
    /// others; the first failure is thrown afterwards. Sets inside a transaction never write the first-write marker.
    /// </summary>
    Task MultiAsync(IReadOnlyList<object> operations, CancellationToken cancellationToken = default);
}
