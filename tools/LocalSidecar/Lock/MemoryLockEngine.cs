namespace LocalSidecar.Lock;

/// <summary>The embedded stand-in for the lock strings of one Redis keyspace; shared by every sidecar on that keyspace.</summary>
public sealed class MemoryLockData(TimeProvider clock)
{
    private readonly Dictionary<string, (string Owner, DateTimeOffset ExpiresAt)> _locks = new(StringComparer.Ordinal);

    /// <summary>SET NX EX semantics.</summary>
    public bool TrySet(string key, string owner, int expiryInSeconds)
    {
        lock (_locks)
        {
            var now = clock.GetUtcNow();
            if (_locks.TryGetValue(key, out var held) && held.ExpiresAt > now)
                return false;
            _locks[key] = (owner, now.AddSeconds(expiryInSeconds));
            return true;
        }
    }

    /// <summary>The unlock script's result: -1 missing or expired, -2 another owner, 1 deleted.</summary>
    public long CompareAndDelete(string key, string owner)
    {
        lock (_locks)
        {
            if (!_locks.TryGetValue(key, out var held) || held.ExpiresAt <= clock.GetUtcNow())
            {
                _locks.Remove(key);
                return -1;
            }

            if (!string.Equals(held.Owner, owner, StringComparison.Ordinal))
                return -2;
            _locks.Remove(key);
            return 1;
        }
    }
}

/// <summary>contrib's <c>lock.redis</c> semantics over <see cref="MemoryLockData"/>.</summary>
public sealed class MemoryLockEngine(MemoryLockData data) : ILockEngine
{
    public Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken = default) =>
        Task.FromResult(data.TrySet(key, owner, expiryInSeconds));

    public Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken = default) =>
        Task.FromResult(LockResults.FromScript(data.CompareAndDelete(key, owner)));
}
