using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.Catalog;
using Reservation.Infrastructure.State;

namespace Reservation.Infrastructure.Ledger;

/// <summary>
/// A slot with no hot state is rebuilt from what survives a Redis loss: capacity (catalog, cached in the ledger),
/// booked and the fencing token (SQL), no holds. Starting from the ledger's token keeps tokens monotonic for SQL.
/// </summary>
public sealed class LedgerSlotSeeder(IServiceScopeFactory scopes, CatalogClient catalog) : ISlotSeeder
{
    public async Task<SlotState?> SeedAsync(string slotId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<BookingLedger>();
        var row = await ledger.FindSlotAsync(slotId, cancellationToken);
        if (row is null)
        {
            var capacity = await catalog.GetCapacityAsync(slotId, cancellationToken);
            if (capacity is null)
                return null;
            row = await ledger.EnsureSlotAsync(slotId, capacity.Value, cancellationToken);
        }

        return SlotState.Create(slotId, row.Capacity, row.Booked, row.LastFencingToken);
    }
}
