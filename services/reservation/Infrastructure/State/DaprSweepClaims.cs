#pragma warning disable DAPR_DISTRIBUTEDLOCK // the lock API is alpha in Dapr 1.19 (see LockSlotWriteStrategy.cs).
using System.Globalization;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Reservation.Application;

namespace Reservation.Infrastructure.State;

/// <summary>Sweep shards claimed with the Dapr lock on <c>lockstore</c> (resource <c>sweep:{shard}</c>).</summary>
public sealed class DaprSweepClaims(DaprClient dapr, ILogger<DaprSweepClaims> logger) : ISweepClaims
{
    public async Task<IAsyncDisposable?> TryClaimAsync(int shard, TimeSpan lease, CancellationToken cancellationToken)
    {
        var resource = "sweep:" + shard.ToString(CultureInfo.InvariantCulture);
        var owner = Guid.NewGuid().ToString("N");
        var seconds = Math.Max(1, (int)Math.Ceiling(lease.TotalSeconds));
        var acquired = await dapr.Lock(Components.LockStore, resource, owner, seconds, cancellationToken);
        return acquired.Success ? new Claim(dapr, resource, owner, logger) : null;
    }

    private sealed class Claim(DaprClient dapr, string resource, string owner, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await dapr.Unlock(Components.LockStore, resource, owner, CancellationToken.None);
            }
            catch (Exception exception)
            {
                // The lease runs out by itself; the shard waits at most that long.
                logger.LogWarning(exception, "Handing back sweep claim {Resource} failed", resource);
            }
        }
    }
}
