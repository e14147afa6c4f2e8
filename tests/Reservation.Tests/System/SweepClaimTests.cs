using DaprReservations.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Reservation.Application;
using Reservation.Infrastructure.State;

namespace Reservation.Tests.System;

/// <summary>
/// Replicas share the sweep through claims on the Dapr lock (real sidecar, real Redis): one replica per shard at a
/// time, a handed-back shard is free again, and every replica maps a slot to the same shard.
/// </summary>
public sealed class SweepClaimTests : IAsyncLifetime
{
    private DaprSystem _system = null!;

    public async Task InitializeAsync() =>
        _system = await DaprSystem.StartAsync(new DaprSystemOptions { Backend = SidecarBackend.Redis, Apps = [] });

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Of_replicas_claiming_one_shard_at_once_exactly_one_gets_it_until_it_hands_it_back()
    {
        var shard = Random.Shared.Next(1_000, 1_000_000); // a resource no other test run of this Redis has used
        var replicas = Enumerable.Range(0, 6).Select(_ => new DaprSweepClaims(_system.Dapr, NullLogger<DaprSweepClaims>.Instance)).ToList();
        using var go = new Barrier(replicas.Count);

        var claims = await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            go.SignalAndWait();
            return await replica.TryClaimAsync(shard, TimeSpan.FromSeconds(30), CancellationToken.None);
        })));

        claims.Count(c => c is not null).Should().Be(1, "one replica sweeps a shard at a time");
        await claims.Single(c => c is not null)!.DisposeAsync();
        await using var next = await replicas[0].TryClaimAsync(shard, TimeSpan.FromSeconds(30), CancellationToken.None);
        next.Should().NotBeNull("a handed-back shard is free for the next tick");
    }

    [Theory]
    [InlineData("01a22a8c-de67-748c-89d0-97b7db0cf5b0", 13)]
    [InlineData("slot-1", 15)]
    public void A_slot_maps_to_the_same_shard_in_every_process(string slotId, int shard)
    {
        // A per-process hash (string.GetHashCode) would split the work differently on each replica.
        ISweepClaims.ShardOf(slotId).Should().Be(shard);
    }
}
