using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildingBlocks.Tests.Infrastructure;

/// <summary>An OTLP/HTTP collector stand-in on a free loopback port that records which signal paths were posted.</summary>
public sealed class FakeOtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> received;

    private FakeOtlpReceiver(WebApplication app, ConcurrentQueue<(string Path, byte[] Body)> received, string endpoint)
    {
        this.app = app;
        this.received = received;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <summary>
    /// The raw protobuf bodies posted to one signal path. Attribute strings (url.path and the like) sit in them as
    /// plain UTF-8, so a test can look for them without a protobuf decoder; the exporter does not compress by default.
    /// </summary>
    public IReadOnlyList<byte[]> BodiesPostedTo(string path) =>
        [.. received.Where(entry => entry.Path == path).Select(entry => entry.Body)];

    public static async Task<FakeOtlpReceiver> StartAsync()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        return new FakeOtlpReceiver(app, received, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
