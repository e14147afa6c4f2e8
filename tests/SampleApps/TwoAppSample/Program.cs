using System.Collections.Concurrent;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Dapr.Client;

// One program, two roles: "back" serves a method, subscribes to a topic and hosts CounterActor;
// "front" exercises all three through its own sidecar when asked to.
var appId = Environment.GetEnvironmentVariable("APP_ID") ?? "front";
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("APP_PORT") ?? "5000"}");
builder.Services.AddDaprClient();
if (appId == "back")
    builder.Services.AddActors(o => o.Actors.RegisterActor<CounterActor>());

var app = builder.Build();
app.UseCloudEvents();
app.MapSubscribeHandler();
app.MapGet("/healthz", () => "ok");

if (appId == "back")
{
    var received = new ConcurrentQueue<string>();
    app.MapActorsHandlers();
    app.MapGet("/greet/{name}", (string name, HttpRequest request) =>
        Results.Text($"hello {name} from back (caller {request.Headers["dapr-caller-app-id"]})"));
    app.MapPost("/events/greetings", (Greeting greeting) =>
    {
        received.Enqueue(greeting.RunId);
        return Results.Ok();
    }).WithTopic("pubsub", "greetings");
    app.MapGet("/events", () => received.ToArray());
}
else
{
    app.MapPost("/e2e/{runId}", async (string runId, DaprClient dapr) =>
    {
        using var back = DaprClient.CreateInvokeHttpClient("back", daprApiToken: Environment.GetEnvironmentVariable("DAPR_API_TOKEN"));
        var greeting = await back.GetStringAsync($"/greet/{runId}");
        await dapr.PublishEventAsync("pubsub", "greetings", new Greeting(runId));
        var counter = ActorProxy.Create(new ActorId(runId), nameof(CounterActor));
        await counter.InvokeMethodAsync<int>("Increment");
        var count = await counter.InvokeMethodAsync<int>("Increment");
        return Results.Ok(new { greeting, count });
    });
}

app.Run();

public sealed record Greeting(string RunId);

public interface ICounterActor : IActor
{
    Task<int> Increment();
}

public sealed class CounterActor(ActorHost host) : Actor(host), ICounterActor
{
    public async Task<int> Increment()
    {
        var count = (await StateManager.TryGetStateAsync<int>("count")).Value + 1;
        await StateManager.SetStateAsync("count", count);
        return count;
    }
}
