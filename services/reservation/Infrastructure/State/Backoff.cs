namespace Reservation.Infrastructure.State;

/// <summary>
/// Full-jitter exponential backoff: writers that collided spread out instead of colliding again in lock-step, which is
/// what turns optimistic concurrency into a retry storm on a hot slot.
/// </summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
