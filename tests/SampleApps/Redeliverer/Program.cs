using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;

// Republishes every saga event once. A copy it receives back (same id) is only acknowledged, so each event is
// delivered exactly twice to every other subscriber: once by its publisher, once from here.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDaprClient();
var app = builder.Build();

var topics = Topics.All.Where(t => t.StartsWith("order.", StringComparison.Ordinal) || t.StartsWith("payment.", StringComparison.Ordinal)).ToList();
var seen = new ConcurrentDictionary<string, byte>();
var republished = 0;

app.MapGet("/dapr/subscribe", () => topics.Select(topic => new { pubsubname = Components.PubSub, topic, route = $"/redeliver/{topic}" }));
app.MapGet("/healthz", () => "ok");
app.MapGet("/stats", () => new { republished = Volatile.Read(ref republished) });

app.MapPost("/redeliver/{topic}", async (string topic, HttpRequest request, DaprClient dapr) =>
{
    using var cloudEvent = await JsonDocument.ParseAsync(request.Body);
    var root = cloudEvent.RootElement;
    var id = root.GetProperty("id").GetString()!;
    if (!seen.TryAdd(id, 0))
        return Results.Ok(); // our own copy coming back

    var data = Encoding.UTF8.GetBytes(root.GetProperty("data").GetRawText());
    var metadata = new Dictionary<string, string> { ["cloudevent.id"] = id, ["cloudevent.type"] = root.GetProperty("type").GetString()! };
    try
    {
        await dapr.PublishByteEventAsync(Components.PubSub, topic, data, "application/json", metadata);
    }
    catch
    {
        seen.TryRemove(id, out _); // the redelivery of this event must try again
        throw;
    }

    Interlocked.Increment(ref republished);
    return Results.Ok();
});

app.Run();
