using System.Text.Json;
using Cel;

namespace LocalSidecar.PubSub.Subscriptions;

/// <summary>
/// One routing rule: a CEL expression over <c>{"event": cloudEvent}</c> (evaluated with the Cel package, which accepts
/// the event as a string-keyed map) and the app path; the default route is a rule without a match.
/// </summary>
public sealed class RouteRule
{
    private static readonly CelEnvironment Environment = new(null, null);
    private readonly CelProgramDelegate? _program;

    public RouteRule(string? match, string path)
    {
        Match = string.IsNullOrWhiteSpace(match) ? null : match;
        Path = path;
        if (Match is not null)
            _program = Environment.Compile(Match);
    }

    public string? Match { get; }
    public string Path { get; }

    /// <summary>
    /// True when the rule applies. An expression that fails to evaluate (e.g. a missing field) does not match, as a
    /// cel-go evaluation error would not select the rule either.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, object?> cloudEvent)
    {
        if (_program is null)
            return true;
        try
        {
            return _program(new Dictionary<string, object?> { ["event"] = cloudEvent }) is true;
        }
        catch (Exception e) when (e is CelException or InvalidCastException or KeyNotFoundException or NullReferenceException)
        {
            return false;
        }
    }

    /// <summary>The CloudEvent as CEL values: string, long/double, bool, null, maps and lists.</summary>
    public static IReadOnlyDictionary<string, object?> ToCelMap(JsonElement cloudEvent) =>
        cloudEvent.ValueKind == JsonValueKind.Object
            ? (IReadOnlyDictionary<string, object?>)ToCel(cloudEvent)!
            : new Dictionary<string, object?>();

    private static object? ToCel(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject()
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => ToCel(g.Last().Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(ToCel).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
