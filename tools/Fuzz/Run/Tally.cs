using System.Text.Json;
using System.Text.RegularExpressions;
using Fuzz.Http;

namespace Fuzz.Run;

/// <summary>One cause of 5xx (or of no answer): how often, and the first request that showed it.</summary>
public sealed record Cause(string Key, int Count, FuzzRequest Example, FuzzResponse Response);

/// <summary>Counts per route and status, the causes of every 5xx, and the writes that were accepted.</summary>
public sealed partial class Tally
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, SortedDictionary<int, int>> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, FuzzRequest Example, FuzzResponse Response)> _causes = new(StringComparer.Ordinal);
    private readonly List<(FuzzRequest Request, FuzzResponse Response)> _accepted = [];

    public int Requests { get; private set; }
    public int ServerErrors { get; private set; }
    public int NoAnswers { get; private set; }
    public int AcceptedWrites { get; private set; }

    /// <summary>503s the bar allows: "try again" with <c>Retry-After</c>, or a readiness probe saying "not ready".</summary>
    public int Unavailable { get; private set; }

    public IReadOnlyDictionary<string, SortedDictionary<int, int>> Routes => _routes;

    public IReadOnlyList<Cause> Causes
    {
        get
        {
            lock (_gate)
                return [.. _causes.Select(c => new Cause(c.Key, c.Value.Count, c.Value.Example, c.Value.Response)).OrderBy(c => c.Example.Index)];
        }
    }

    /// <summary>Writes (not GET/HEAD) answered 2xx: expected only for bodyless, parameterless maintenance calls.</summary>
    public IReadOnlyList<(FuzzRequest Request, FuzzResponse Response)> Accepted
    {
        get
        {
            lock (_gate)
                return [.. _accepted];
        }
    }

    public void Record(FuzzRequest request, FuzzResponse response)
    {
        lock (_gate)
        {
            Requests++;
            if (!_routes.TryGetValue(request.Route, out var statuses))
                _routes[request.Route] = statuses = new SortedDictionary<int, int>();
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;

            if (response.Status is >= 200 and < 300 && request.Method is not ("GET" or "HEAD" or "OPTIONS"))
            {
                AcceptedWrites++;
                if (_accepted.Count < 50)
                    _accepted.Add((request, response));
            }

            if (response.Status != 0 && !response.IsServerError)
                return;
            var allowed = AllowedUnavailable(request, response);
            if (allowed is not null)
                Unavailable++;
            else if (response.Status == 0)
                NoAnswers++;
            else
                ServerErrors++;
            var key = allowed ?? CauseOf(request, response);
            _causes[key] = _causes.TryGetValue(key, out var known) ? (known.Count + 1, known.Example, known.Response) : (1, request, response);
        }
    }

    /// <summary>
    /// The two 5xx answers that are not failures (BRIEF §5: refusals under load or outage are 503 + Retry-After): a 503
    /// carrying <c>Retry-After</c>, and <c>/readyz</c> reporting a dependency too slow under the fuzzer's load (the
    /// readiness contract, not an answer to the request's content). Null for every other 5xx.
    /// </summary>
    private static string? AllowedUnavailable(FuzzRequest request, FuzzResponse response)
    {
        if (response.Status != 503)
            return null;
        if (response.Header("Retry-After") is { Length: > 0 })
            return $"allowed: 503 with Retry-After ({request.Route})";
        return request.Target.StartsWith("/readyz", StringComparison.Ordinal) && response.Body.Contains("\"Unhealthy\"", StringComparison.Ordinal)
            ? $"allowed: 503 not ready ({request.Route})"
            : null;
    }

    /// <summary>
    /// What a 5xx is "the same bug" by: the status, where it was answered (edge or app), and — from the problem
    /// document a Development service writes — the exception type and the first frame of project code.
    /// </summary>
    public static string CauseOf(FuzzRequest request, FuzzResponse response)
    {
        var where = request.Route.Split(' ') is [var mode, var app, ..] ? $"{mode} {app}" : request.Route;
        if (response.Status == 0)
            return $"no answer ({where}): {Normalize(response.Error ?? "")}";
        try
        {
            using var problem = JsonDocument.Parse(response.Body);
            if (problem.RootElement.TryGetProperty("exception", out var exception) && exception.ValueKind == JsonValueKind.Object)
            {
                var type = exception.TryGetProperty("type", out var t) ? t.GetString() : "?";
                var trace = exception.TryGetProperty("stackTrace", out var s) ? s.GetString() ?? "" : "";
                return $"{response.Status} {where}: {type} at {TopFrame(trace)}";
            }

        }
        catch (JsonException)
        {
            // Not a problem document: a plain-text answer (the client accepted no JSON) or no body at all.
        }

        // No exception named (a proxy's 502, or the details were not written): grouped by what the request had.
        return $"{response.Status} {where.Split(' ')[0]}, no exception named: {Suspect(request)}";
    }

    /// <summary>
    /// For an answer that names no exception (a proxy's 502, a body the client refused to accept): what in the request
    /// stands out first — an odd method, then a header value that is not ASCII, then an oversized header.
    /// </summary>
    private static string Suspect(FuzzRequest request)
    {
        if (request.Method is not ("GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "PATCH" or "OPTIONS"))
            return $"method {request.Method}";
        if (request.Headers.Any(h => h.Value.Any(c => c > 127)))
            return "a header value that is not ASCII";
        if (request.Headers.Any(h => h.Value.Length > 4096))
            return "an oversized header";
        return "nothing odd in method or headers";
    }

    /// <summary>Where it was thrown, and the first frame of project code above it (when that is another frame).</summary>
    private static string TopFrame(string stackTrace)
    {
        static string Short(string frame) => frame.IndexOf(" in ", StringComparison.Ordinal) is > 0 and var at ? frame[..at] : frame;
        var frames = stackTrace.Split('\n').Select(f => f.Trim()).Where(f => f.StartsWith("at ", StringComparison.Ordinal)).ToList();
        if (frames.Count == 0)
            return "(no stack)";
        // Middleware frames (Invoke/InvokeAsync of a pipeline step) are on every stack: not a cause.
        var own = frames.FirstOrDefault(f => OwnCode().IsMatch(f) && !Middleware().IsMatch(f));
        return own is null || own == frames[0] ? Short(frames[0]) : $"{Short(frames[0])} ← {Short(own)}";
    }

    private static string Normalize(string text) => Digits().Replace(text, "N");

    [GeneratedRegex(@"at (DaprReservations|Catalog|Reservation|Ordering|Payment|Web)\.")]
    private static partial Regex OwnCode();

    /// <summary>A pipeline step: <c>InvokeAsync</c> of a middleware class, or the lambda of an <c>app.UseX(...)</c>.</summary>
    [GeneratedRegex(@"\.Invoke(Async)?\(|<Use\w*>b__")]
    private static partial Regex Middleware();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
