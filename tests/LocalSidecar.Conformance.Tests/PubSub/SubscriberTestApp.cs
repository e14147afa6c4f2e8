using System.Collections.Concurrent;
using System.Text.Json;
using Dapr;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.PubSub;

/// <summary>How the test app answers a delivery it was told to fail.</summary>
public enum Failure
{
    Status500,
    RetryStatus,
    DropStatus,
    NotFound,
}

/// <summary>One subscription the test app declares through Dapr.AspNetCore's <c>WithTopic</c>.</summary>
public sealed record TopicRoute(string Topic, string Path, bool RawPayload = false, string? DeadLetterTopic = null, string? Match = null, int Priority = 0, string? PubsubName = null);

/// <summary>One request the sidecar made to a subscription route, as it arrived and as the handler saw it.</summary>
public sealed record Delivery(string Topic, string Path, string RawBody, string? RawContentType, string Body, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The CloudEvent exactly as the sidecar sent it (before UseCloudEvents unwrapped it).</summary>
    public JsonElement Envelope => JsonDocument.Parse(RawBody).RootElement;

    public string Id => Envelope.GetProperty("id").GetString()!;
}

/// <summary>
/// A real Dapr.AspNetCore subscriber on a free loopback port (UseCloudEvents + MapSubscribeHandler + WithTopic). It
/// records every delivery attempt and can be told to fail the next N deliveries of a topic, or to hold the first one.
/// </summary>
public sealed class SubscriberTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _received = new();
    private readonly ConcurrentDictionary<string, (Failure Kind, int Remaining)> _failures = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();

    private SubscriberTestApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts on <paramref name="port"/>, or a free port (a real daprd's --app-port must name a fixed one).</summary>
    public static async Task<SubscriberTestApp> StartAsync(string pubsub, IEnumerable<TopicRoute> routes, int? port = null)
    {
        var appPort = port ?? FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{appPort}");
        var app = builder.Build();
        var testApp = new SubscriberTestApp(app, appPort);

        app.Use(async (http, next) =>
        {
            http.Request.EnableBuffering();
            using var reader = new StreamReader(http.Request.Body, leaveOpen: true);
            http.Items["raw-body"] = await reader.ReadToEndAsync();
            http.Items["raw-content-type"] = http.Request.ContentType;
            http.Request.Body.Position = 0;
            await next(http);
        });
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        foreach (var route in routes)
        {
            app.MapPost(route.Path, (HttpContext http) => testApp.HandleAsync(http, route)).WithTopic(new TopicOptions
            {
                PubsubName = route.PubsubName ?? pubsub,
                Name = route.Topic,
                EnableRawPayload = route.RawPayload,
                DeadLetterTopic = route.DeadLetterTopic,
                Match = route.Match,
                Priority = route.Priority,
            });
        }

        await app.StartAsync();
        return testApp;
    }

    /// <summary>The next <paramref name="times"/> deliveries on <paramref name="topic"/> are answered with <paramref name="kind"/>.</summary>
    public void FailNext(string topic, Failure kind, int times) => _failures[topic] = (kind, times);

    /// <summary>The next delivery on <paramref name="topic"/> is held (never answered) until the sidecar gives up on it.</summary>
    public void HoldNext(string topic) => _holds[topic] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Delivery> Received(string topic, string marker) =>
        _received.Where(d => d.Topic == topic && d.RawBody.Contains(marker, StringComparison.Ordinal)).ToList();

    public IReadOnlyList<Delivery> ReceivedOnPath(string path, string marker) =>
        _received.Where(d => d.Path == path && d.RawBody.Contains(marker, StringComparison.Ordinal)).ToList();

    /// <summary>Polls every 50 ms until <paramref name="count"/> deliveries carrying the marker arrived on the topic.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitForAsync(string topic, string marker, int count = 1, double seconds = 4)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = Received(topic, marker);
            if (found.Count >= count)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{found.Count} of {count} deliveries of '{marker}' on '{topic}' arrived within {seconds} s");
            await Task.Delay(50);
        }
    }

    private async Task HandleAsync(HttpContext http, TopicRoute route)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.Enqueue(new Delivery(route.Topic, route.Path, (string)http.Items["raw-body"]!, (string?)http.Items["raw-content-type"],
            body, http.Request.ContentType, headers));

        if (_holds.TryRemove(route.Topic, out var hold))
        {
            await hold.Task.WaitAsync(http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (TakeFailure(route.Topic) is { } failure)
        {
            switch (failure)
            {
                case Failure.Status500:
                    http.Response.StatusCode = 500;
                    break;
                case Failure.NotFound:
                    http.Response.StatusCode = 404;
                    break;
                case Failure.RetryStatus:
                    await http.Response.WriteAsJsonAsync(new { status = "RETRY" });
                    break;
                case Failure.DropStatus:
                    await http.Response.WriteAsJsonAsync(new { status = "DROP" });
                    break;
            }

            return;
        }

        http.Response.StatusCode = 200;
    }

    private Failure? TakeFailure(string topic)
    {
        while (_failures.TryGetValue(topic, out var plan) && plan.Remaining > 0)
        {
            if (_failures.TryUpdate(topic, (plan.Kind, plan.Remaining - 1), plan))
                return plan.Kind;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hold in _holds.Values)
            hold.TrySetResult();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
