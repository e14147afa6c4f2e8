using System.Text.Json;
using LocalSidecar.Actors;
using Microsoft.Extensions.Primitives;

namespace LocalSidecar.Api.Http;

/// <summary>daprd's actor HTTP routes (dapr:pkg/api/http/actors.go); the work is done by the Actors façades.</summary>
public static class ActorEndpoints
{
    private const string Prefix = "/v1.0/actors/{type}/{id}";

    // Not forwarded to the app: connection-level headers, and the caller's API token (the app gets APP_API_TOKEN).
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Proxy-Connection",
        "Content-Length", "Content-Type", "Expect", "dapr-api-token",
    };

    private static readonly HashSet<string> NotReturned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Trailer", "Content-Length", "Date", "Server",
    };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Prefix + "/method/{**method}", ["GET", "POST", "PUT", "DELETE"], InvokeAsync);

        endpoints.MapMethods(Prefix + "/state", ["PUT", "POST"], (HttpContext http, string type, string id, ActorStateStore store) =>
            DaprHttpResults.Guard(http, async () =>
            {
                var operations = await ReadJsonAsync(http);
                await store.SaveAsync(type, id, operations, http.RequestAborted);
                http.Response.StatusCode = 204;
            }));

        endpoints.MapGet(Prefix + "/state/{key}", (HttpContext http, string type, string id, string key, ActorStateStore store) =>
            DaprHttpResults.Guard(http, async () =>
            {
                var value = await store.GetAsync(type, id, key, http.RequestAborted);
                if (value is null || value.Length == 0)
                {
                    http.Response.StatusCode = 204;
                    return;
                }

                http.Response.StatusCode = 200;
                http.Response.ContentType = "application/json";
                await http.Response.Body.WriteAsync(value, http.RequestAborted);
            }));

        endpoints.MapMethods(Prefix + "/reminders/{name}", ["PUT", "POST"], (HttpContext http, string type, string id, string name, ActorScheduleApi api) =>
            DaprHttpResults.Guard(http, async () =>
            {
                await api.RegisterReminderAsync(type, id, name, await ReadScheduleAsync(http), http.RequestAborted);
                http.Response.StatusCode = 204;
            }));
        endpoints.MapGet(Prefix + "/reminders/{name}", (HttpContext http, string type, string id, string name, ActorScheduleApi api) =>
            DaprHttpResults.Guard(http, async () =>
            {
                var body = await api.GetReminderAsync(type, id, name, http.RequestAborted);
                http.Response.StatusCode = 200;
                http.Response.ContentType = "application/json";
                await http.Response.Body.WriteAsync(body, http.RequestAborted);
            }));
        endpoints.MapDelete(Prefix + "/reminders/{name}", (HttpContext http, string type, string id, string name, ActorScheduleApi api) =>
            DaprHttpResults.Guard(http, async () =>
            {
                await api.UnregisterReminderAsync(type, id, name, http.RequestAborted);
                http.Response.StatusCode = 204;
            }));

        endpoints.MapMethods(Prefix + "/timers/{name}", ["PUT", "POST"], (HttpContext http, string type, string id, string name, ActorScheduleApi api) =>
            DaprHttpResults.Guard(http, async () =>
            {
                await api.RegisterTimerAsync(type, id, name, await ReadScheduleAsync(http), http.RequestAborted);
                http.Response.StatusCode = 204;
            }));
        endpoints.MapDelete(Prefix + "/timers/{name}", (HttpContext http, string type, string id, string name, ActorScheduleApi api) =>
        {
            api.UnregisterTimer(type, id, name);
            return Results.NoContent();
        });
    }

    private static Task InvokeAsync(HttpContext http, string type, string id, string method, ActorInvoker invoker) =>
        DaprHttpResults.Guard(http, async () =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            var headers = http.Request.Headers
                .Where(h => !NotForwarded.Contains(h.Key))
                .Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.Where(v => v is not null).ToArray()!))
                .ToList();
            var request = new ActorAppRequest(method, buffer.ToArray(), http.Request.ContentType, headers);
            var response = await invoker.InvokeAsync(type, id, request, http.RequestAborted);

            http.Response.StatusCode = response.Status;
            foreach (var (name, values) in response.Headers)
            {
                if (!NotReturned.Contains(name))
                    http.Response.Headers.Append(name, new StringValues(values));
            }

            if (response.ContentType is not null)
                http.Response.ContentType = response.ContentType;
            await http.Response.Body.WriteAsync(response.Body, http.RequestAborted);
        });

    private static async Task<JsonElement> ReadJsonAsync(HttpContext http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw DaprError.Malformed($"failed deserializing HTTP body: {e.Message}");
        }
    }

    private static async Task<ActorScheduleRequest> ReadScheduleAsync(HttpContext http)
    {
        var json = await ReadJsonAsync(http);
        try
        {
            return json.Deserialize<ActorScheduleRequest>() ?? throw DaprError.Malformed("failed deserializing HTTP body: empty");
        }
        catch (JsonException e)
        {
            throw DaprError.Malformed($"failed deserializing HTTP body: {e.Message}");
        }
    }
}
