using System.Net.Http.Headers;
using System.Text.Json;
using Fuzz.Generators;
using Fuzz.Run;

namespace Fuzz.Api;

/// <summary>
/// Every place to fuzz, read from the running apps themselves: each app's OpenAPI document (through the edge for the
/// apps the web app forwards, and at each app's own port), each app's <c>/dapr/subscribe</c> and <c>/dapr/config</c>.
/// </summary>
public static class RouteDiscovery
{
    public const string OpenApiPath = "/swagger/v1/swagger.json";

    /// <summary>What daprd calls on an app for actors (the Dapr actor protocol).</summary>
    private static readonly (string Method, string Path)[] ActorRoutes =
    [
        ("PUT", "/actors/{type}/{id}/method/{method}"),
        ("PUT", "/actors/{type}/{id}/method/remind/{name}"),
        ("PUT", "/actors/{type}/{id}/method/timer/{name}"),
        ("DELETE", "/actors/{type}/{id}"),
    ];

    private static readonly string[] Probes = ["/dapr/subscribe", "/dapr/config", "/healthz", "/readyz"];

    public static async Task<IReadOnlyList<FuzzRoute>> DiscoverAsync(SystemUnderTest system, TextWriter log, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var routes = new List<FuzzRoute>();
        foreach (var app in SystemUnderTest.Apps)
        {
            if (!system.Direct.TryGetValue(app, out var direct))
            {
                log.WriteLine($"routes of {app}: no address, skipped");
                continue;
            }

            var document = await http.GetStringAsync(new Uri(direct, OpenApiPath), cancel);
            var operations = OpenApiDocument.Read(app, document);
            routes.AddRange(operations.Select(o => FuzzRoute.ForOperation(o, viaEdge: false, direct)));
            if (SystemUnderTest.EdgeApps.Contains(app) || app == "payment")
                routes.AddRange(operations.Select(o => FuzzRoute.ForOperation(o, viaEdge: true, system.Web)));

            var token = system.AppTokens.GetValueOrDefault(app);
            var sidecar = system.Sidecars.GetValueOrDefault(app);
            using var metadata = sidecar is null ? null : await GetJsonAsync(http, new Uri(sidecar.Http, "/v1.0/metadata"), null, sidecar.ApiToken, cancel);
            // The app's own list (sidecar-only: needs the app token) and what its sidecar learnt from it, merged.
            var topics = (await SubscriptionsAsync(http, direct, token, cancel)).Union(FromMetadata(metadata)).ToList();
            routes.AddRange(topics.Select(t => FuzzRoute.ForSidecarOnly(app, direct, RouteKind.Subscription, "POST", t.Route, t.Topic)));
            // Operations the document already lists (payment's and catalog's event routes) are fuzzed as deliveries too.
            var actorTypes = (await ActorTypesAsync(http, direct, token, cancel)).Union(ActorTypesFromMetadata(metadata)).ToList();
            foreach (var type in actorTypes.DefaultIfEmpty(app == "reservation" ? "SlotActor" : ""))
            {
                if (type.Length == 0)
                    continue;
                routes.AddRange(ActorRoutes.Select(r => FuzzRoute.ForSidecarOnly(app, direct, RouteKind.Actor, r.Method, r.Path, type)));
            }

            if (app != "web")
                routes.AddRange(Probes.Select(p => FuzzRoute.ForSidecarOnly(app, direct, RouteKind.Infrastructure, "GET", p)));
            log.WriteLine($"routes of {app}: {operations.Count} operations, {topics.Count} subscriptions, actors [{string.Join(", ", actorTypes)}]");
        }

        return routes.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public sealed record Subscription(string Topic, string Route);

    /// <summary>
    /// The app's subscriptions as daprd reads them (<c>route</c>, or <c>routes.rules[].path</c> and <c>routes.default</c>).
    /// Asked with the app token when one is known, since the route is sidecar-only.
    /// </summary>
    private static async Task<List<Subscription>> SubscriptionsAsync(HttpClient http, Uri app, string? token, CancellationToken cancel)
    {
        using var json = await GetJsonAsync(http, new Uri(app, "/dapr/subscribe"), token, null, cancel);
        var list = new List<Subscription>();
        if (json?.RootElement.ValueKind != JsonValueKind.Array)
            return list;
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            var topic = entry.TryGetProperty("topic", out var t) ? t.GetString() ?? "" : "";
            if (entry.TryGetProperty("route", out var route) && route.GetString() is { Length: > 0 } path)
                list.Add(new Subscription(topic, path));
            if (entry.TryGetProperty("routes", out var routes))
            {
                if (routes.TryGetProperty("default", out var fallback) && fallback.GetString() is { Length: > 0 } d)
                    list.Add(new Subscription(topic, d));
                if (routes.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array)
                    list.AddRange(rules.EnumerateArray().Select(r => r.TryGetProperty("path", out var p) ? p.GetString() : null)
                        .OfType<string>().Select(p => new Subscription(topic, p)));
            }
        }

        return list.Select(s => s with { Route = s.Route.StartsWith('/') ? s.Route : "/" + s.Route }).Distinct().ToList();
    }

    /// <summary>daprd's metadata shape: <c>subscriptions[].topic</c> and <c>rules[].path</c> (paths without a leading slash).</summary>
    private static IEnumerable<Subscription> FromMetadata(JsonDocument? metadata)
    {
        if (metadata?.RootElement.ValueKind != JsonValueKind.Object || !metadata.RootElement.TryGetProperty("subscriptions", out var list)
            || list.ValueKind != JsonValueKind.Array)
            return [];
        return [.. list.EnumerateArray()
            .Where(s => s.TryGetProperty("rules", out var r) && r.ValueKind == JsonValueKind.Array)
            .SelectMany(s => s.GetProperty("rules").EnumerateArray()
                .Select(r => r.TryGetProperty("path", out var p) ? p.GetString() : null).OfType<string>()
                .Select(p => new Subscription(s.TryGetProperty("topic", out var t) ? t.GetString() ?? "" : "", p.StartsWith('/') ? p : "/" + p)))];
    }

    private static IEnumerable<string> ActorTypesFromMetadata(JsonDocument? metadata) =>
        metadata?.RootElement.ValueKind == JsonValueKind.Object && metadata.RootElement.TryGetProperty("actors", out var actors)
            && actors.ValueKind == JsonValueKind.Array
            ? [.. actors.EnumerateArray().Select(a => a.TryGetProperty("type", out var t) ? t.GetString() : null).OfType<string>()]
            : [];

    private static async Task<List<string>> ActorTypesAsync(HttpClient http, Uri app, string? token, CancellationToken cancel)
    {
        using var json = await GetJsonAsync(http, new Uri(app, "/dapr/config"), token, null, cancel);
        return json?.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("entities", out var entities)
            && entities.ValueKind == JsonValueKind.Array
            ? [.. entities.EnumerateArray().Select(e => e.GetString()).OfType<string>()]
            : [];
    }

    /// <summary>GET as a sidecar would (<paramref name="appToken"/>) or as an app calls its sidecar (<paramref name="apiToken"/>); null when refused.</summary>
    private static async Task<JsonDocument?> GetJsonAsync(HttpClient http, Uri uri, string? appToken, string? apiToken, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if ((appToken ?? apiToken) is { } token)
            request.Headers.TryAddWithoutValidation("dapr-api-token", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, cancel);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel)) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return null;
        }
    }
}
