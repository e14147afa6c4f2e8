namespace Reservation.Application;

/// <summary>
/// Replicas share the sweep: the slots are split into <see cref="Shards"/> fixed shards, and in each tick a replica
/// sweeps only the shards it could claim (a lease that runs out by itself if the replica dies mid-sweep).
/// </summary>
public interface ISweepClaims
{
    public const int Shards = 16;

    /// <summary>The claim on <paramref name="shard"/> (dispose to hand it back), or null while another replica holds it.</summary>
    Task<IAsyncDisposable?> TryClaimAsync(int shard, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>A slot's shard: the same on every replica and every run (FNV-1a; string.GetHashCode is per process).</summary>
    public static int ShardOf(string slotId)
    {
        var hash = 2166136261u;
        foreach (var c in slotId)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }
}
