namespace Reservation.Infrastructure.State;

/// <summary>
/// One-at-a-time per key inside this instance. An entry exists only while someone holds or waits for it, so the map
/// is as large as the work in flight, never as large as the set of keys ever seen (slot ids come from clients).
/// </summary>
public sealed class KeyedGate
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Keys with a holder or a waiter right now.</summary>
    public int Count
    {
        get
        {
            lock (entries)
                return entries.Count;
        }
    }

    public async Task<IDisposable> EnterAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!))
                entries[key] = entry = new Entry();
            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Lease(this, key, entry);
    }

    private void Leave(string key, Entry entry)
    {
        lock (entries)
        {
            if (--entry.Users == 0)
                entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Holder plus waiters; guarded by the map's lock.</summary>
        public int Users { get; set; }
    }

    private sealed class Lease(KeyedGate gate, string key, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
                return;
            entry.Semaphore.Release();
            gate.Leave(key, entry);
        }
    }
}
