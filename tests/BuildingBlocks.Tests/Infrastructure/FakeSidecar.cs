using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildingBlocks.Tests.Infrastructure;

/// <summary>A real Kestrel listener on a free loopback port that answers <c>/v1.0/healthz</c> like daprd would.</summary>
public sealed class FakeSidecar : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeSidecar(WebApplication app, string endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <param name="healthStatusCode">What /v1.0/healthz answers (daprd: 204 when ready, 500 while not).</param>
    /// <param name="answerDelay">How long it waits before answering, to stand for a hung sidecar.</param>
    public static async Task<FakeSidecar> StartAsync(int healthStatusCode, TimeSpan answerDelay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/v1.0/healthz", async (CancellationToken requestAborted) =>
        {
            if (answerDelay > TimeSpan.Zero)
                await Task.Delay(answerDelay, requestAborted);
            return Results.StatusCode(healthStatusCode);
        });
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        return new FakeSidecar(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
