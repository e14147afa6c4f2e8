using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Application;

/// <summary>
/// Makes "every order reaches a terminal status" true without trusting any single delivery: expires unpaid orders
/// whose holds ran out, and drives paid orders whose event handler died before booking them. Idempotent, so any
/// number of replicas may sweep at once.
/// </summary>
public sealed class OrderSweeper(IServiceScopeFactory scopes, TimeProvider time, IOptions<OrderingOptions> options, ILogger<OrderSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Order sweep failed; next tick retries");
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<OrderStore>();
        var saga = scope.ServiceProvider.GetRequiredService<OrderSaga>();

        var expiredBefore = now - settings.ExpiryGrace;
        var unpaid = await db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Pending || o.Status == OrderStatus.AwaitingPayment) && o.ExpiresAt < expiredBefore)
            .Select(o => o.Id).Take(500).ToListAsync(ct);
        foreach (var orderId in unpaid)
            await store.TransitionAsync(orderId, (order, at) => order.Expire("hold-expired", at), ct);

        var stalledBefore = now - settings.StalledAfter;
        var stalled = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Paid && o.UpdatedAt < stalledBefore)
            .Select(o => o.Id).Take(100).ToListAsync(ct);
        foreach (var orderId in stalled)
        {
            try
            {
                await saga.DriveAsync(orderId, ct);
            }
            catch (Exception exception) when (exception is HttpRequestException or Dapr.DaprException or InvalidOperationException)
            {
                logger.LogWarning(exception, "Driving stalled order {OrderId} failed; next sweep retries", orderId);
            }
        }

        return unpaid.Count + stalled.Count;
    }
}
