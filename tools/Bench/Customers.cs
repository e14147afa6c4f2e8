using System.Collections.Concurrent;
using System.Net.Http.Headers;
using DaprReservations.Testing;

namespace Bench;

/// <summary>
/// Distinct buyers for the load, so the service's per-customer caps stay on (their count key is part of what a hold
/// costs) and are never what refuses a hold: a block of subjects is handed out once per run (counts live in Redis,
/// which every system of the run shares), each subject places at most <see cref="HoldsPerCustomer"/> holds, and
/// attempts n and n+1 belong to different subjects so concurrent requests do not contend on one customer's count.
/// </summary>
public static class Customers
{
    /// <summary>Within ReservationLimits' defaults (10 per slot, 50 overall).</summary>
    public const int HoldsPerCustomer = 10;

    private static readonly ConcurrentDictionary<string, AuthenticationHeaderValue> Tokens = new(StringComparer.Ordinal);
    private static int _next;

    /// <summary>A block of subjects for <paramref name="attempts"/> holds; its tokens are minted now, outside any timing.</summary>
    public static Block Take(int attempts)
    {
        var size = Math.Max(256, (attempts + HoldsPerCustomer - 1) / HoldsPerCustomer);
        var block = new Block(Interlocked.Add(ref _next, size) - size, size);
        // Minting signs with RSA: done up front so the load generator's CPU during a scenario is the load, not this.
        Parallel.For(0, size, i => block.Bearer(i));
        return block;
    }

    public sealed record Block(int First, int Size)
    {
        /// <summary>The subject for attempt <paramref name="n"/>: round-robin over the block.</summary>
        public AuthenticationHeaderValue Bearer(int n)
        {
            var subject = $"bench-{First + n % Size}";
            return Tokens.GetOrAdd(subject, s => TestIdentity.Bearer(s));
        }
    }
}
