using System.Text.Json;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Infrastructure;

/// <summary>
/// A plain ASP.NET app (no Dapr SDK) that answers every request with what it received: verb, path, query, body and
/// headers. The header x-reply-status makes it answer with that status instead of 200.
/// </summary>
public sealed class EchoApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts on <paramref name="port"/>, or a free port (a real daprd's --app-port must name a fixed one).</summary>
    public static async Task<EchoApp> StartAsync(int? port = null)
    {
        var appPort = port ?? FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{appPort}");
        var app = builder.Build();
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            http.Response.StatusCode = int.TryParse(http.Request.Headers["x-reply-status"], out var status) ? status : 200;
            http.Response.Headers["x-echo"] = "yes";
            await http.Response.WriteAsJsonAsync(new EchoReply(
                http.Request.Method,
                http.Request.Path.Value ?? "",
                http.Request.QueryString.Value ?? "",
                body,
                http.Request.ContentType,
                http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
        });
        await app.StartAsync();
        return new EchoApp(app, appPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record EchoReply(string Method, string Path, string Query, string Body, string? ContentType, Dictionary<string, string> Headers)
{
    public static async Task<EchoReply> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<EchoReply>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}

/// <summary>A sidecar fixture whose app is an <see cref="EchoApp"/>.</summary>
public abstract class EchoSidecarFixture : SidecarFixture
{
    private EchoApp? _app;

    protected override async Task<int?> StartAppAsync(int sidecarHttpPort, int sidecarGrpcPort)
    {
        _app = await EchoApp.StartAsync();
        return _app.Port;
    }

    protected override async Task StopAppAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

public sealed class EchoRedisFixture : EchoSidecarFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

public sealed class EchoMemoryFixture : EchoSidecarFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}
