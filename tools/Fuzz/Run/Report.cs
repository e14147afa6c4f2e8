using System.Globalization;
using System.Text;

namespace Fuzz.Run;

/// <summary>The printed result: per-route statuses, each 5xx cause with its first request, the state check, the figure.</summary>
public static class Report
{
    public static string Format(FuzzResult result, FuzzOptions options)
    {
        var tally = result.Tally;
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var width = Math.Max(20, tally.Routes.Keys.DefaultIfEmpty("").Max(k => k.Length));
        text.AppendLine(inv, $"{"route".PadRight(width)}  requests  statuses (status:count; 0 = no answer)");
        foreach (var (route, statuses) in tally.Routes)
        {
            var count = statuses.Values.Sum();
            var mark = statuses.Keys.Any(s => s >= 500 || s == 0) ? "  <-- 5xx" : "";
            text.AppendLine(inv, $"{route.PadRight(width)}  {count,8}  {string.Join(' ', statuses.Select(s => $"{s.Key}:{s.Value}"))}{mark}");
        }

        var unreached = result.Routes.Select(r => r.Name).Where(n => !tally.Routes.ContainsKey(n)).ToList();
        if (unreached.Count > 0)
            text.AppendLine(inv, $"routes without a request (raise --requests): {unreached.Count}");

        var causes = tally.Causes;
        text.AppendLine();
        var failing = causes.Count(c => !c.Key.StartsWith("allowed:", StringComparison.Ordinal));
        var allowed = tally.Unavailable > 0 ? $" (and {tally.Unavailable} allowed 503s, listed with 'allowed:')" : "";
        text.AppendLine(inv, $"5xx and no-answer causes: {failing}{allowed}");
        var number = 0;
        foreach (var cause in causes)
        {
            text.AppendLine(inv, $"[{++number}] {cause.Key}  — {cause.Count} time(s); first:");
            text.AppendLine(inv, $"    {cause.Example.Describe()}");
            var answer = cause.Response.Status == 0 ? cause.Response.Error : $"{cause.Response.Status} {Clip(cause.Response.Body, options.Verbose ? 4000 : 700)}";
            text.AppendLine(inv, $"    → {answer}");
            text.AppendLine(inv, $"    replay: --seed {options.Seed} --from {cause.Example.Index} --requests 1 --only \"{cause.Example.Route}\"");
        }

        text.AppendLine();
        var accepted = tally.AcceptedWrites > 0 ? $" ({string.Join(", ", tally.Accepted.Select(a => a.Request.Route).Distinct().Take(8))})" : "";
        text.AppendLine(inv, $"writes answered 2xx: {tally.AcceptedWrites}{accepted}");
        text.AppendLine(result.StateChanges.Count == 0
            ? $"state: unchanged ({result.StateEntries} entries: catalog resources and slots, availability, seeded holds, orders, payments)"
            : $"state: CHANGED ({result.StateChanges.Count}):\n  " + string.Join("\n  ", result.StateChanges));
        if (result.Cancelled)
            text.AppendLine("cancelled (Ctrl+C) before every request was sent");
        var rate = result.FuzzTime.TotalSeconds > 0 ? tally.Requests / result.FuzzTime.TotalSeconds : 0;
        text.AppendLine(inv, $"{result.Routes.Count} routes, {tally.NoAnswers} without answer, {result.FuzzTime.TotalSeconds:0.0} s ({rate:0} requests/s)");
        text.Append(inv, $"{tally.Requests} requests, {tally.ServerErrors} 5xx");
        return text.ToString();
    }

    private static string Clip(string text, int max) =>
        (text.Length <= max ? text : text[..max] + "…").Replace("\n", "\\n", StringComparison.Ordinal);
}
