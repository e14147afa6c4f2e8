using Dapr.Client;

// The customer's bug, reproduced on purpose and only here: read a counter, check it, write it back without an ETag
// (last write wins), through this app's sidecar to the same Redis the reservation service uses. Plus a no-op route:
// the cost of the two sidecar hops alone (tester sidecar → this app's sidecar → this app), the benchmark's relay floor.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// DaprClient finds its sidecar from DAPR_GRPC_PORT / DAPR_HTTP_PORT and presents DAPR_API_TOKEN, as the services do.
builder.Services.AddSingleton(_ => new DaprClientBuilder().Build());
var app = builder.Build();

const string Store = "statestore";

app.MapGet("/healthz", () => Results.Ok());
app.MapPost("/noop", () => Results.NoContent());

app.MapPut("/counters/{key}", async (string key, int capacity, DaprClient dapr) =>
{
    await dapr.SaveStateAsync(Store, key, new Counter(capacity, 0));
    return Results.NoContent();
});

app.MapGet("/counters/{key}", async (string key, DaprClient dapr) =>
    await dapr.GetStateAsync<Counter>(Store, key) is { } counter ? Results.Ok(counter) : Results.NotFound());

// Check-then-act with nothing between the read and the write: two concurrent callers can both see the last seat.
app.MapPost("/counters/{key}/take", async (string key, DaprClient dapr) =>
{
    var counter = await dapr.GetStateAsync<Counter>(Store, key);
    if (counter is null)
        return Results.NotFound();
    if (counter.Sold >= counter.Capacity)
        return Results.Conflict();
    await dapr.SaveStateAsync(Store, key, counter with { Sold = counter.Sold + 1 });
    return Results.StatusCode(StatusCodes.Status201Created);
});

app.Run();

internal sealed record Counter(int Capacity, int Sold);
