using System.Globalization;
using System.Text.RegularExpressions;

namespace LocalSidecar.Actors;

/// <summary>A reminder or timer period: how often, and how many times in all (null = forever).</summary>
public sealed record ActorPeriod(TimeSpan Interval, int? Repetitions);

/// <summary>
/// The duration spellings daprd accepts for actor configuration, reminders and timers:
/// Go <c>time.ParseDuration</c> (<c>1m30s</c>, <c>500ms</c>), the .NET SDK's <c>0h0m5s0ms</c> (a Go duration too),
/// ISO 8601 (<c>PT5S</c>, <c>P1DT2H</c>) and ISO 8601 repetitions (<c>R3/PT1S</c>); dueTime and ttl also take RFC3339.
/// </summary>
public static partial class ActorDurations
{
    public static bool TryParseGo(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
            return true;
        var matches = GoPart().Matches(s);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != s.Length)
            return false;
        double ticks = 0;
        foreach (Match m in matches)
        {
            var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups[2].Value switch
            {
                "ns" => number / 100,
                "us" or "µs" or "μs" => number * 10,
                "ms" => number * TimeSpan.TicksPerMillisecond,
                "s" => number * TimeSpan.TicksPerSecond,
                "m" => number * TimeSpan.TicksPerMinute,
                "h" => number * TimeSpan.TicksPerHour,
                _ => double.NaN,
            };
        }

        if (double.IsNaN(ticks))
            return false;
        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    public static bool TryParseIso(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var m = IsoDuration().Match(text.Trim());
        if (!m.Success || text.Trim() is "P" or "PT")
            return false;
        double Part(int group) => m.Groups[group].Success ? double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        value = TimeSpan.FromDays(Part(1) * 365 + Part(2) * 30 + Part(3) * 7 + Part(4))
                + TimeSpan.FromHours(Part(5)) + TimeSpan.FromMinutes(Part(6)) + TimeSpan.FromSeconds(Part(7));
        return true;
    }

    /// <summary>Idle timeouts and the like: a Go duration (the SDK's h/m/s/ms form is one), else ISO 8601.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value) =>
        TryParseGo(text, out value) || TryParseIso(text, out value);

    /// <summary>dueTime: empty = now; a duration; or an RFC3339 instant.</summary>
    public static bool TryParseDueTime(string? text, DateTimeOffset now, out DateTimeOffset due)
    {
        due = now;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (TryParseDuration(text, out var delay))
        {
            due = now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out due);
    }

    /// <summary>period: empty = no repeat; a duration; or R&lt;n&gt;/&lt;iso duration&gt;.</summary>
    public static bool TryParsePeriod(string? text, out ActorPeriod? period)
    {
        period = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        var s = text.Trim();
        if (s.StartsWith('R'))
        {
            var slash = s.IndexOf('/');
            if (slash < 0 || !int.TryParse(s[1..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || !TryParseDuration(s[(slash + 1)..], out var every))
                return false;
            period = new ActorPeriod(every, count);
            return true;
        }

        if (!TryParseDuration(s, out var interval))
            return false;
        period = new ActorPeriod(interval, null);
        return true;
    }

    /// <summary>ttl: a duration from <paramref name="start"/>, or an RFC3339 instant.</summary>
    public static bool TryParseExpiry(string? text, DateTimeOffset start, out DateTimeOffset? expiry)
    {
        expiry = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (TryParseDuration(text, out var ttl))
        {
            expiry = start + ttl;
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return false;
        expiry = at;
        return true;
    }

    [GeneratedRegex(@"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoPart();

    [GeneratedRegex(@"^P(?:([0-9.]+)Y)?(?:([0-9.]+)M)?(?:([0-9.]+)W)?(?:([0-9.]+)D)?(?:T(?:([0-9.]+)H)?(?:([0-9.]+)M)?(?:([0-9.]+)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();
}
