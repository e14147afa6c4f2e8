using System.Globalization;

namespace LocalSidecar.State;

/// <summary>
/// The embedded stand-in for a Redis keyspace's state hashes. One instance per <see cref="Hosting.MemoryKeyspace"/>,
/// so every sidecar (and every state component) pointing at the same redisHost/redisDB sees the same data.
/// One lock guards it: each operation is atomic as a Lua script is, and a transaction as MULTI/EXEC is.
/// </summary>
public sealed class MemoryStateData(TimeProvider clock)
{
    internal sealed class Entry
    {
        public required byte[] Data;
        public long Version;
        public bool FirstWrite;
        public DateTimeOffset? ExpiresAt;
    }

    internal readonly object Gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal TimeProvider Clock { get; } = clock;

    /// <summary>The live entry, dropping it when its TTL has passed (Redis expires lazily too).</summary>
    internal Entry? Find(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (entry.ExpiresAt is { } at && at <= Clock.GetUtcNow())
        {
            _entries.Remove(key);
            return null;
        }

        return entry;
    }

    internal void Put(string key, Entry entry) => _entries[key] = entry;

    internal bool Remove(string key) => Find(key) is not null && _entries.Remove(key);
}

/// <summary>contrib's <c>state.redis</c> decision table (§1.4/§1.5 of the reference), in C#, over <see cref="MemoryStateData"/>.</summary>
public sealed class MemoryStateEngine(MemoryStateData data) : IStateEngine
{
    public Task<StoredState?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            var entry = data.Find(key);
            return Task.FromResult(entry is null
                ? null
                : new StoredState(entry.Data.ToArray(), entry.Version.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public Task SetAsync(StateSet set, CancellationToken cancellationToken = default)
    {
        var expected = StateScripts.ExpectedVersion(set);
        lock (data.Gate)
        {
            var error = ApplySet(set, expected, markFirstWrite: set.Concurrency == StateScripts.FirstWrite);
            if (error is not null)
                throw StateScripts.SetFailure(set, error);
            ApplyTtl(set);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(StateDelete delete, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            var error = ApplyDelete(delete);
            if (error is not null)
                throw StateScripts.DeleteFailure(error);
        }

        return Task.CompletedTask;
    }

    /// <summary>Like MULTI/EXEC on Redis: every operation runs, a failed one is skipped (no rollback), the first error is thrown last.</summary>
    public Task MultiAsync(IReadOnlyList<object> operations, CancellationToken cancellationToken = default)
    {
        // Parsed up front: an invalid etag fails the whole request before anything is sent.
        var expected = operations.Select(o => o is StateSet s ? StateScripts.ExpectedVersion(s) : "").ToList();
        Exception? first = null;
        lock (data.Gate)
        {
            for (var i = 0; i < operations.Count; i++)
            {
                switch (operations[i])
                {
                    case StateSet set:
                        var setError = ApplySet(set, expected[i], markFirstWrite: false);
                        if (setError is not null)
                            first ??= StateScripts.SetFailure(set, setError);
                        // The EXPIRE/PERSIST is its own queued command: Redis runs it even when the script failed.
                        ApplyTtl(set);
                        break;
                    case StateDelete delete:
                        var deleteError = ApplyDelete(delete);
                        if (deleteError is not null)
                            first ??= StateScripts.DeleteFailure(deleteError);
                        break;
                    default:
                        throw new ArgumentException($"unsupported operation {operations[i].GetType().Name}", nameof(operations));
                }
            }
        }

        return first is null ? Task.CompletedTask : Task.FromException(first);
    }

    /// <summary>setDefaultQuery; returns the script's error text, or null when it wrote.</summary>
    private string? ApplySet(StateSet set, string expected, bool markFirstWrite)
    {
        var entry = data.Find(set.Key);
        if (entry is null)
        {
            // A missing key accepts any etag: Redis does not fail etag writes on missing keys.
            data.Put(set.Key, new MemoryStateData.Entry { Data = set.Value.ToArray(), Version = 1, FirstWrite = markFirstWrite });
            return null;
        }

        var current = entry.Version.ToString(CultureInfo.InvariantCulture);
        if (current != expected && !(!entry.FirstWrite && expected == "0"))
            return $"failed to set key {set.Key}";
        entry.Data = set.Value.ToArray();
        entry.FirstWrite |= markFirstWrite;
        entry.Version++;
        return null;
    }

    private void ApplyTtl(StateSet set)
    {
        if (set.TtlSeconds is null || data.Find(set.Key) is not { } entry)
            return;
        entry.ExpiresAt = set.TtlSeconds > 0 ? data.Clock.GetUtcNow().AddSeconds(set.TtlSeconds.Value) : null;
    }

    /// <summary>delDefaultQuery; a missing key deletes fine whatever the etag. Deleting drops the marker, and versions restart at 1.</summary>
    private string? ApplyDelete(StateDelete delete)
    {
        var expected = StateScripts.DeleteVersion(delete);
        var entry = data.Find(delete.Key);
        if (entry is null)
            return null;
        if (expected != "0" && entry.Version.ToString(CultureInfo.InvariantCulture) != expected)
            return $"failed to delete {delete.Key}";
        data.Remove(delete.Key);
        return null;
    }
}
