using LocalSidecar.Actors;
using LocalSidecar.Api;
using LocalSidecar.Api.Grpc;
using LocalSidecar.Api.Http;
using LocalSidecar.Components;
using LocalSidecar.Configuration;
using LocalSidecar.Invocation;
using LocalSidecar.Lock;
using LocalSidecar.PubSub;
using LocalSidecar.State;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LocalSidecar.Hosting;

/// <summary>One running sidecar: an HTTP/1.1 port and an HTTP/2 (h2c) gRPC port, like daprd's.</summary>
public sealed class SidecarInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LocalCluster _cluster;

    private SidecarInstance(SidecarOptions options, WebApplication app, LocalCluster cluster, ComponentLoadResult load)
    {
        Options = options;
        _app = app;
        _cluster = cluster;
        Components = load;
    }

    public SidecarOptions Options { get; }
    public ComponentLoadResult Components { get; }
    public IServiceProvider Services => _app.Services;
    public int HttpPort => Options.HttpPort;
    public int GrpcPort => Options.GrpcPort;
    public string HttpEndpoint => $"http://127.0.0.1:{HttpPort}";
    public string GrpcEndpoint => $"http://127.0.0.1:{GrpcPort}";

    /// <summary>Completes when the sidecar is asked to stop (gRPC Shutdown, or the host stopping).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Loads the components and starts listening. Throws <see cref="SidecarStartException"/> (never anything
    /// rawer) when the resources cannot be served, listing each problem with its file.
    /// </summary>
    public static async Task<SidecarInstance> StartAsync(SidecarOptions options, LocalCluster cluster,
        Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        options = options with
        {
            HttpPort = options.HttpPort == 0 ? FreePort.Next() : options.HttpPort,
            GrpcPort = options.GrpcPort == 0 ? FreePort.Next() : options.GrpcPort,
        };
        var load = ComponentLoader.Load(options.ResourcesPaths, options.AppId, options.Namespace);
        if (load.Fatal.Any())
            throw new SidecarStartException(options.AppId, load.Fatal.ToList());
        DaprConfiguration configuration;
        try
        {
            configuration = DaprConfiguration.Load(options.ConfigPaths);
        }
        catch (ConfigurationException e)
        {
            // daprd exits with "error loading configuration" on the same files.
            throw new SidecarStartException(options.AppId, [new ComponentProblem(e.File, e.Reason, Fatal: true)]);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SidecarInstance).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        if (logging is not null)
            logging(builder.Logging);
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024; // daprd's default max body size (4Mi)
            Listen(kestrel, options.HttpPort, HttpProtocols.Http1);
            // gRPC clients speak prior-knowledge h2c: an Http1AndHttp2 cleartext endpoint would not accept them.
            Listen(kestrel, options.GrpcPort, HttpProtocols.Http2);
        });

        var context = new SidecarContext(options, load.Components, cluster);
        builder.Services.AddSingleton(context);
        builder.Services.AddSingleton(configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton<AppChannel>();
        builder.Services.AddSingleton<MetadataModel>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<ApiTokenInterceptor>();
            o.EnableDetailedErrors = true;
            o.MaxReceiveMessageSize = 4 * 1024 * 1024;
        });
        StateFeature.AddServices(builder.Services, context);
        LockFeature.AddServices(builder.Services, context);
        PubSubFeature.AddServices(builder.Services, context);
        ActorsFeature.AddServices(builder.Services, context);
        InvocationFeature.AddServices(builder.Services, context);

        var app = builder.Build();
        context.Services = app.Services;
        foreach (var problem in load.Problems)
            app.Logger.LogWarning("resources: {Problem}", problem.ToString());
        foreach (var warning in configuration.Warnings)
            app.Logger.LogWarning("configuration: {Warning}", warning);

        // daprd cleans the path before routing: Dapr.Actors sends //v1.0/actors/...
        app.Use((http, next) =>
        {
            var path = http.Request.Path.Value;
            if (path is not null && path.Contains("//", StringComparison.Ordinal))
                http.Request.Path = new PathString(CollapseSlashes(path));
            return next(http);
        });
        app.UseMiddleware<ApiTokenMiddleware>();
        if (options.ApiLogging)
            app.UseMiddleware<ApiLoggingMiddleware>();
        app.UseRouting();

        HealthEndpoints.Map(app);
        MetadataEndpoints.Map(app);
        StateFeature.Map(app);
        LockFeature.Map(app);
        PubSubFeature.Map(app);
        ActorsFeature.Map(app);
        InvocationFeature.Map(app); // last: it owns the dapr-app-id fallback route
        app.MapGrpcService<DaprGrpcService>();

        var sidecar = new SidecarInstance(options, app, cluster, load);
        cluster.Register(sidecar);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            cluster.Unregister(sidecar);
            await app.DisposeAsync();
            throw;
        }

        // gRPC Shutdown only signals the lifetime; a host started with StartAsync must be stopped explicitly.
        app.Lifetime.ApplicationStopping.Register(() => _ = Task.Run(sidecar.StopOnceAsync));
        app.Logger.LogInformation("sidecar for app '{AppId}' listening: http {HttpPort}, grpc {GrpcPort}, backend {Backend}, components [{Components}], configuration {Configuration}",
            options.AppId, sidecar.HttpPort, sidecar.GrpcPort, options.Backend,
            string.Join(", ", load.Components.Select(c => $"{c.Name} ({c.Type})")),
            configuration.Files.Count == 0 ? "default" : string.Join(", ", configuration.Files));
        return sidecar;
    }

    // 127.0.0.1 and ::1 both: clients say "localhost", which may resolve to either.
    private static void Listen(KestrelServerOptions kestrel, int port, HttpProtocols protocols) =>
        kestrel.ListenLocalhost(port, o => o.Protocols = protocols);

    internal static string CollapseSlashes(string path)
    {
        var chars = new System.Text.StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c == '/' && chars.Length > 0 && chars[^1] == '/')
                continue;
            chars.Append(c);
        }

        return chars.ToString();
    }

    private readonly System.Threading.Lock _stopGate = new();
    private Task? _stopped;

    /// <summary>Every stop path (Shutdown, Ctrl+C, dispose) shares one StopAsync.</summary>
    private Task StopOnceAsync()
    {
        lock (_stopGate)
            return _stopped ??= _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _cluster.Unregister(this);
        await StopOnceAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);

        await _app.DisposeAsync();
    }
}

public sealed class SidecarStartException(string appId, IReadOnlyList<ComponentProblem> problems)
    : Exception($"sidecar for app '{appId}' cannot start:{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<ComponentProblem> Problems { get; } = problems;
}
