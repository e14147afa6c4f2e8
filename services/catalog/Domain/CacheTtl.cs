namespace Catalog.Domain;

/// <summary>
/// Time-to-live of a cache entry: the base plus up to <c>jitterFraction</c> more, so entries written together (a
/// burst of reads after a deploy or an invalidation) do not all expire in the same second and stampede the database.
/// </summary>
public static class CacheTtl
{
    /// <param name="randomUnit">A value in [0, 1) from the caller's random source (injected so tests are exact).</param>
    public static int Seconds(TimeSpan baseTtl, double jitterFraction, double randomUnit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseTtl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(jitterFraction);
        var seconds = baseTtl.TotalSeconds * (1 + jitterFraction * Math.Clamp(randomUnit, 0, 1));
        return Math.Max(1, (int)Math.Ceiling(seconds));
    }
}
