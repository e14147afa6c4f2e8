using System.Text;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Actors;

public interface ICounterActor : IActor
{
    Task<int> IncrementAsync(int by);

    Task<int> GetCountAsync();

    Task FailAsync(string message);
}

public interface IRemindedActor : IActor
{
    Task StartReminderAsync(string name, int periodMilliseconds);

    Task StopReminderAsync(string name);
}

/// <summary>Keeps a count in actor state (saved by the SDK after each call through the sidecar's state API).</summary>
public class CounterActor(ActorHost host, ActorAppEvents events) : Actor(host), ICounterActor
{
    public async Task<int> IncrementAsync(int by)
    {
        var current = await StateManager.TryGetStateAsync<int>("count");
        var next = (current.HasValue ? current.Value : 0) + by;
        await StateManager.SetStateAsync("count", next);
        return next;
    }

    public async Task<int> GetCountAsync()
    {
        var current = await StateManager.TryGetStateAsync<int>("count");
        return current.HasValue ? current.Value : 0;
    }

    public Task FailAsync(string message) => throw new InvalidOperationException(message);

    protected override Task OnDeactivateAsync()
    {
        events.Record("deactivate", Host.ActorTypeInfo.ActorTypeName, Id.GetId());
        return Task.CompletedTask;
    }
}

/// <summary>The same counter with a 1 s actorIdleTimeout (advertised in entitiesConfig), to watch deactivation.</summary>
public sealed class IdleCounterActor(ActorHost host, ActorAppEvents events) : CounterActor(host, events);

public sealed class RemindedActor(ActorHost host, ActorAppEvents events) : Actor(host), IRemindedActor, IRemindable
{
    public Task StartReminderAsync(string name, int periodMilliseconds) =>
        RegisterReminderAsync(name, Encoding.UTF8.GetBytes("rem-state"), TimeSpan.FromMilliseconds(100),
            TimeSpan.FromMilliseconds(periodMilliseconds));

    public Task StopReminderAsync(string name) => UnregisterReminderAsync(name);

    public Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        events.Record("remind", nameof(RemindedActor), Id.GetId(), reminderName, Encoding.UTF8.GetString(state));
        return Task.CompletedTask;
    }
}

/// <summary>A real Kestrel app using Dapr.Actors.AspNetCore, talking to the sidecar at <c>sidecarHttpEndpoint</c>.</summary>
public sealed class SdkActorApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SdkActorApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SdkActorApp> StartAsync(string sidecarHttpEndpoint, ActorAppEvents events)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        builder.Services.AddSingleton(events);
        builder.Services.AddActors(options =>
        {
            options.HttpEndpoint = sidecarHttpEndpoint;
            options.Actors.RegisterActor<CounterActor>();
            options.Actors.RegisterActor<IdleCounterActor>(new ActorRuntimeOptions { ActorIdleTimeout = TimeSpan.FromSeconds(1) });
            options.Actors.RegisterActor<RemindedActor>();
        });
        var app = builder.Build();
        app.MapActorsHandlers();
        await app.StartAsync();
        return new SdkActorApp(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
