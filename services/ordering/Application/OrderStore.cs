using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Application;

/// <summary>
/// The update closure around the state machine: load the order, let the domain decide, save the change and its
/// outbox event in one commit, guarded by the order's version. A lost race re-decides on the fresher order, so a
/// customer's cancel and the saga's confirm serialize instead of overwriting each other.
/// </summary>
public sealed class OrderStore(OrderingDbContext db, TimeProvider time, IOptions<OrderingOptions> options)
{
    public Task<Order?> FindAsync(string orderId, CancellationToken ct) =>
        db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, ct);

    /// <summary>Applies <paramref name="decide"/>; returns the order as committed (null when unknown) and the transition.</summary>
    public async Task<(Order? Order, Transition? Result)> TransitionAsync(
        string orderId, Func<Order, DateTimeOffset, Transition> decide, CancellationToken ct)
    {
        var attempts = options.Value.ConcurrencyAttempts;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, ct);
            if (order is null)
                return (null, null);

            var result = decide(order, time.GetUtcNow());
            if (!result.Changed)
                return (order, result);

            OrderOutbox.Stage(db, order, result, time);
            try
            {
                await db.SaveChangesAsync(ct);
                return (order, result);
            }
            catch (DbUpdateConcurrencyException) when (attempt < attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * attempt)), ct);
            }
        }
    }
}
