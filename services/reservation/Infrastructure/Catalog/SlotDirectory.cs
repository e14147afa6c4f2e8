using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Reservation.Application;
using Reservation.Infrastructure.Ledger;
using Reservation.Infrastructure.State;

namespace Reservation.Infrastructure.Catalog;

/// <summary>
/// Whether a slot exists, asked before anything is allocated for it (a coalescing queue, a lock, a Redis key, an
/// actor). A slot exists when the ledger has its row (it was used here before, even if the catalog has dropped it
/// since) or the catalog knows it. Known ids are remembered in a bounded cache that forgets idle entries; unknown ids
/// are not remembered at all, so a flood of random ids costs lookups, never memory, and a slot the catalog creates
/// later is found on its first request.
/// </summary>
public sealed class SlotDirectory : IDisposable
{
    private readonly IServiceScopeFactory scopes;
    private readonly CatalogClient catalog;
    private readonly MemoryCache known;
    private readonly MemoryCacheEntryOptions entry;

    public SlotDirectory(IServiceScopeFactory scopes, CatalogClient catalog, SlotStoreStats stats, IOptions<ReservationLimits> limits)
    {
        (this.scopes, this.catalog) = (scopes, catalog);
        known = new MemoryCache(new MemoryCacheOptions { SizeLimit = limits.Value.KnownSlots });
        entry = new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = limits.Value.KnownSlotIdle };
        stats.TrackSize("knownSlots", () => known.Count);
    }

    public async Task<bool> ExistsAsync(string slotId, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(slotId, out _))
            return true;

        bool exists;
        await using (var scope = scopes.CreateAsyncScope())
            exists = await scope.ServiceProvider.GetRequiredService<BookingLedger>().FindSlotAsync(slotId, cancellationToken) is not null;
        exists = exists || await catalog.GetCapacityAsync(slotId, cancellationToken) is not null;
        if (exists)
            known.Set(slotId, true, entry);
        return exists;
    }

    /// <exception cref="SlotNotFoundException">Neither the ledger nor the catalog knows the slot.</exception>
    public async Task EnsureExistsAsync(string slotId, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(slotId, cancellationToken))
            throw new SlotNotFoundException(slotId);
    }

    public void Dispose() => known.Dispose();
}
