using StackExchange.Redis;

namespace LocalSidecar.Lock;

/// <summary>contrib's <c>lock.redis</c> (standalone.go) on a real Redis server.</summary>
public sealed class RedisLockEngine(ConnectionMultiplexer connection) : ILockEngine
{
    /// <summary>contrib's unlock script, verbatim.</summary>
    public const string UnlockScript =
        """local v = redis.call("get",KEYS[1]); if v==false then return -1 end; if v~=ARGV[1] then return -2 else return redis.call("del",KEYS[1]) end""";

    private readonly IDatabase _db = connection.GetDatabase();

    /// <summary>SET key owner EX n NX: no reentrancy, the same owner is refused too.</summary>
    public Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken = default) =>
        _db.StringSetAsync(key, owner, TimeSpan.FromSeconds(expiryInSeconds), When.NotExists);

    public async Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken = default)
    {
        var result = (long)await _db.ExecuteAsync("EVAL", UnlockScript, 1, key, owner);
        return LockResults.FromScript(result);
    }
}

public static class LockResults
{
    /// <summary>contrib's mapping: &gt;= 0 success, -1 missing or expired, -2 held by another owner.</summary>
    public static UnlockStatus FromScript(long result) => result switch
    {
        >= 0 => UnlockStatus.Success,
        -1 => UnlockStatus.LockDoesNotExist,
        -2 => UnlockStatus.LockBelongsToOthers,
        _ => UnlockStatus.InternalError,
    };
}
