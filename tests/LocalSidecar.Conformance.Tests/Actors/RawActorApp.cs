using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Actors;

/// <summary>
/// An actor app without any Dapr SDK: it answers /dapr/config and /actors/... itself and does NO locking, so what it
/// measures (in-flight calls per actor id) shows what the SIDECAR serializes. Types: RawActor, RawReentrantActor
/// (reentrancy enabled, maxStackDepth 3).
/// </summary>
public sealed class RawActorApp : IAsyncDisposable
{
    public const string Type = "RawActor";
    public const string ReentrantType = "RawReentrantActor";
    public const int MaxStackDepth = 3;

    private readonly WebApplication _app;
    private readonly HttpClient _sidecar;
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private readonly object _gate = new();
    private int _inFlightAll;

    private RawActorApp(WebApplication app, int port, HttpClient sidecar, ActorAppEvents events)
    {
        _app = app;
        Port = port;
        _sidecar = sidecar;
        Events = events;
    }

    public int Port { get; }
    public ActorAppEvents Events { get; }

    /// <summary>Headers of each GET /dapr/config the app received.</summary>
    public ConcurrentQueue<(string? ContentType, string? AppId)> ConfigRequests { get; } = new();

    public int MaxInFlight(string id) => _maxInFlight.GetValueOrDefault(id);

    /// <summary>The most "slow" calls in flight at once across all ids.</summary>
    public int MaxInFlightAcrossIds { get; private set; }

    public static async Task<RawActorApp> StartAsync(string sidecarHttpEndpoint)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var raw = new RawActorApp(app, port, new HttpClient { BaseAddress = new Uri(sidecarHttpEndpoint + "/") }, new ActorAppEvents());

        app.MapGet("/dapr/config", (HttpRequest request) =>
        {
            raw.ConfigRequests.Enqueue((request.ContentType, request.Headers["dapr-app-id"].FirstOrDefault()));
            return Results.Text($$$"""
                {"entities":["{{{Type}}}","{{{ReentrantType}}}"],"actorIdleTimeout":"1h","drainOngoingCallTimeout":"30s",
                 "entitiesConfig":[{"entities":["{{{ReentrantType}}}"],"reentrancy":{"enabled":true,"maxStackDepth":{{{MaxStackDepth}}}}}]}
                """, "application/json");
        });
        app.MapPut("/actors/{type}/{id}/method/{**method}", raw.HandleAsync);
        app.MapDelete("/actors/{type}/{id}", (string type, string id) =>
        {
            raw.Events.Record("deactivate", type, id);
            return Results.Ok();
        });
        await app.StartAsync();
        return raw;
    }

    private async Task<IResult> HandleAsync(HttpContext http, string type, string id, string method)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var reentrancyId = http.Request.Headers["Dapr-Reentrancy-Id"].FirstOrDefault();
        switch (method.Split('/'))
        {
            case ["slow"]:
                return await SlowAsync(id);
            case ["echo"]:
                return Results.Json(new
                {
                    method = http.Request.Method,
                    contentType = http.Request.ContentType,
                    testHeader = http.Request.Headers["X-Test-Header"].FirstOrDefault(),
                    reentrancyId,
                    body,
                });
            case ["fail", var code]:
                return Results.Text("boom", statusCode: int.Parse(code));
            case ["actorerror"]:
                http.Response.Headers["X-DaprErrorResponseHeader"] = "true";
                http.Response.Headers["X-Custom"] = "kept";
                return Results.Text("actor-error-body", "application/octet-stream", statusCode: 200);
            case ["depth", var remaining]:
                var left = int.Parse(remaining);
                if (left == 0)
                    return Results.Text("bottom", "text/plain");
                // Calls back into the same actor through the sidecar, passing the reentrancy id on like an SDK would.
                using (var inner = new HttpRequestMessage(HttpMethod.Put, $"v1.0/actors/{type}/{id}/method/depth/{left - 1}"))
                {
                    if (reentrancyId is not null)
                        inner.Headers.Add("Dapr-Reentrancy-Id", reentrancyId);
                    using var response = await _sidecar.SendAsync(inner);
                    var innerBody = await response.Content.ReadAsStringAsync();
                    return Results.Text(innerBody, "application/json", statusCode: (int)response.StatusCode);
                }

            case [var kind and ("remind" or "timer"), var name]:
                Events.Record(kind, type, id, name, body);
                if (name.StartsWith("cancel", StringComparison.Ordinal))
                    http.Response.Headers["X-DaprReminderCancel"] = "true";
                return Results.Ok();
            default:
                return Results.NotFound();
        }
    }

    private async Task<IResult> SlowAsync(string id)
    {
        lock (_gate)
        {
            var now = _inFlight.AddOrUpdate(id, 1, (_, n) => n + 1);
            _maxInFlight.AddOrUpdate(id, now, (_, max) => Math.Max(max, now));
            MaxInFlightAcrossIds = Math.Max(MaxInFlightAcrossIds, ++_inFlightAll);
        }

        try
        {
            await Task.Delay(100);
            return Results.Json(new { ok = true });
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
                _inFlightAll--;
            }
        }
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        _sidecar.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
