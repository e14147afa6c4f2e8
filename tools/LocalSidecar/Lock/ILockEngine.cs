namespace LocalSidecar.Lock;

/// <summary>UnlockResponse.Status values, numbered as in dapr.proto.</summary>
public enum UnlockStatus
{
    Success = 0,
    LockDoesNotExist = 1,
    LockBelongsToOthers = 2,
    InternalError = 3,
}

/// <summary>contrib's <c>lock.redis</c>: SET key owner EX ttl NX, and the compare-and-delete unlock script.</summary>
public interface ILockEngine
{
    /// <param name="key">The full key (lock||&lt;prefix&gt;||&lt;resource&gt;), built by the façade.</param>
    Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken = default);

    Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken = default);
}
