using System.Security.Cryptography;
using System.Text;
using DaprReservations.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Application;

public abstract record PlaceOrderResult
{
    public sealed record Created(Order Order, bool Replayed) : PlaceOrderResult;

    /// <summary>The Idempotency-Key was used before for a different set of holds.</summary>
    public sealed record KeyReused(Order Existing) : PlaceOrderResult;

    /// <summary>A hold cannot join an order: unknown or not the caller's, not active, about to expire, in another order.</summary>
    public sealed record HoldRefused(string HoldId, string Reason) : PlaceOrderResult;
}

/// <summary>The customer's commands: place an order over their holds, pay it, cancel it.</summary>
public sealed class OrderService(
    OrderingDbContext db,
    OrderStore store,
    ReservationClient reservation,
    CatalogPrices prices,
    TimeProvider time,
    IOptions<OrderingOptions> options)
{
    private readonly OrderingOptions settings = options.Value;

    public async Task<PlaceOrderResult> PlaceAsync(string customerId, IReadOnlyList<string> holdIds, string? idempotencyKey, CancellationToken ct)
    {
        var requestHash = Fingerprint(holdIds);
        if (idempotencyKey is not null && await FindByKeyAsync(customerId, idempotencyKey, ct) is { } earlier)
            return earlier.RequestHash == requestHash ? new PlaceOrderResult.Created(earlier, Replayed: true) : new PlaceOrderResult.KeyReused(earlier);

        var taken = await db.OrderLines.AsNoTracking().Where(l => holdIds.Contains(l.HoldId)).Select(l => l.HoldId).FirstOrDefaultAsync(ct);
        if (taken is not null)
            return new PlaceOrderResult.HoldRefused(taken, "in-another-order");

        var now = time.GetUtcNow();
        var lines = new List<(OrderLine, DateTimeOffset)>();
        var unitPrices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var holdId in holdIds)
        {
            var hold = await reservation.GetHoldAsync(holdId, ct);
            // Another customer's hold is reported exactly like an unknown one: its existence is not ours to reveal.
            if (hold is null || hold.CustomerId != customerId)
                return new PlaceOrderResult.HoldRefused(holdId, "unknown");
            if (hold.Status != "active")
                return new PlaceOrderResult.HoldRefused(holdId, hold.Status);
            if (hold.ExpiresAt - now < settings.MinHoldTimeLeft)
                return new PlaceOrderResult.HoldRefused(holdId, "expiring");

            if (!unitPrices.TryGetValue(hold.SlotId, out var unitPrice))
            {
                unitPrice = await prices.UnitPriceAsync(hold.SlotId, ct) ?? -1;
                unitPrices[hold.SlotId] = unitPrice;
            }

            if (unitPrice < 0)
                return new PlaceOrderResult.HoldRefused(holdId, "slot-unknown");
            lines.Add((new OrderLine(hold.HoldId, hold.SlotId, hold.Quantity, unitPrice), hold.ExpiresAt));
        }

        var order = Order.Place(customerId, lines, settings.Currency, idempotencyKey, requestHash, now);
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(ct);
            return new PlaceOrderResult.Created(order, Replayed: false);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            // Lost a race: the same request committed first (same key), or another order took a hold.
            db.ChangeTracker.Clear();
            if (idempotencyKey is not null && await FindByKeyAsync(customerId, idempotencyKey, ct) is { } winner)
                return winner.RequestHash == requestHash ? new PlaceOrderResult.Created(winner, Replayed: true) : new PlaceOrderResult.KeyReused(winner);
            var holder = await db.OrderLines.AsNoTracking().Where(l => holdIds.Contains(l.HoldId)).Select(l => l.HoldId).FirstAsync(ct);
            return new PlaceOrderResult.HoldRefused(holder, "in-another-order");
        }
    }

    public Task<(Order? Order, Transition? Result)> PayAsync(string orderId, CancellationToken ct) =>
        store.TransitionAsync(orderId, (order, now) => order.RequestPayment(now), ct);

    public Task<(Order? Order, Transition? Result)> CancelAsync(string orderId, CancellationToken ct) =>
        store.TransitionAsync(orderId, (order, now) => order.Cancel("customer", now), ct);

    public Task<Order?> GetAsync(string orderId, CancellationToken ct) => store.FindAsync(orderId, ct);

    public async Task<List<Order>> ListAsync(string? customerId, OrderStatus? status, int limit, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking().Include(o => o.Lines).AsQueryable();
        if (customerId is not null)
            query = query.Where(o => o.CustomerId == customerId);
        if (status is not null)
            query = query.Where(o => o.Status == status);
        return await query.OrderByDescending(o => o.CreatedAt).Take(limit).ToListAsync(ct);
    }

    private Task<Order?> FindByKeyAsync(string customerId, string key, CancellationToken ct) =>
        db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.CustomerId == customerId && o.IdempotencyKey == key, ct);

    private static string Fingerprint(IEnumerable<string> holdIds) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', holdIds.Order(StringComparer.Ordinal)))));
}
