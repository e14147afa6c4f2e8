using System.Text.Json;

namespace LocalSidecar.Actors;

/// <summary>How one hosted actor type behaves, from the app's GET /dapr/config (global values overlaid by entitiesConfig).</summary>
public sealed record ActorTypeSettings(string Type, TimeSpan IdleTimeout, bool ReentrancyEnabled, int MaxStackDepth);

/// <summary>The actor part of the app's /dapr/config answer (dapr:pkg/config/app_configuration.go).</summary>
public sealed record ActorAppConfig(IReadOnlyDictionary<string, ActorTypeSettings> Types, TimeSpan DrainOngoingCallTimeout)
{
    // daprd's defaults: idle 60m, drain 60s, maxStackDepth 32.
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(60);
    public const int DefaultMaxStackDepth = 32;

    public static ActorAppConfig Empty { get; } = new(new Dictionary<string, ActorTypeSettings>(), DefaultDrainTimeout);

    /// <summary>Reads the JSON; unreadable durations fall back to daprd's defaults rather than failing the sidecar.</summary>
    public static ActorAppConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return Empty;

        var idle = Duration(root, "actorIdleTimeout") ?? DefaultIdleTimeout;
        var drain = Duration(root, "drainOngoingCallTimeout") ?? DefaultDrainTimeout;
        var (reentrant, depth) = Reentrancy(root, (false, DefaultMaxStackDepth));

        var types = new Dictionary<string, ActorTypeSettings>(StringComparer.Ordinal);
        foreach (var type in Strings(root, "entities"))
            types[type] = new ActorTypeSettings(type, idle, reentrant, depth);

        if (root.TryGetProperty("entitiesConfig", out var perType) && perType.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in perType.EnumerateArray())
            {
                var typeIdle = Duration(entry, "actorIdleTimeout") ?? idle;
                var (typeReentrant, typeDepth) = Reentrancy(entry, (reentrant, depth));
                foreach (var type in Strings(entry, "entities"))
                {
                    // entitiesConfig only refines types the app also lists in "entities".
                    if (types.ContainsKey(type))
                        types[type] = new ActorTypeSettings(type, typeIdle, typeReentrant, typeDepth);
                }
            }
        }

        return new ActorAppConfig(types, drain);
    }

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    private static TimeSpan? Duration(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && ActorDurations.TryParseDuration(value.GetString(), out var parsed) && parsed > TimeSpan.Zero
            ? parsed
            : null;

    private static (bool Enabled, int MaxStackDepth) Reentrancy(JsonElement element, (bool, int) fallback)
    {
        if (!element.TryGetProperty("reentrancy", out var r) || r.ValueKind != JsonValueKind.Object)
            return fallback;
        var enabled = r.TryGetProperty("enabled", out var e) && e.ValueKind == JsonValueKind.True;
        var depth = r.TryGetProperty("maxStackDepth", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n > 0
            ? n
            : DefaultMaxStackDepth;
        return (enabled, depth);
    }
}
