using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace DaprReservations.Testing;

/// <summary>
/// A running slice of the system for end-to-end tests: each app is a real process (its build output, unchanged) with
/// its own local sidecar, all sidecars in one cluster over real Redis or the embedded backend, plus a "tester"
/// sidecar without an app through which tests call the apps by Dapr service invocation, as a frontend would.
/// </summary>
public sealed class DaprSystem : IAsyncDisposable
{
    public const string TesterAppId = "tester";

    private readonly DaprSystemOptions _options;
    private readonly LocalCluster _cluster;
    private readonly string _components;
    private readonly Dictionary<string, (AppProcessHost Process, SidecarInstance Sidecar, int AppPort)> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppTokens> _tokens = new(StringComparer.Ordinal);
    private readonly List<HttpClient> _clients = [];
    private SidecarInstance? _tester;

    private DaprSystem(DaprSystemOptions options, string dataDirectory)
    {
        _options = options;
        DataDirectory = dataDirectory;
        _components = Path.Combine(dataDirectory, "components");
        _cluster = new LocalCluster(options.Kind);
    }

    /// <summary>A temp folder for this system's files (SQLite databases, components), removed on dispose.</summary>
    public string DataDirectory { get; }

    public RedisServer? Redis { get; private set; }

    /// <summary>An SDK client on the tester sidecar: publish events, read and write state as an app would.</summary>
    public DaprClient Dapr { get; private set; } = null!;

    public string TesterHttpEndpoint => _tester!.HttpEndpoint;

    public static async Task<DaprSystem> StartAsync(DaprSystemOptions options)
    {
        var system = new DaprSystem(options, Directory.CreateTempSubdirectory("dapr-system-").FullName);
        try
        {
            await system.StartCoreAsync();
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        if (_options.Backend == SidecarBackend.Redis)
            Redis = RedisServer.Instance;
        if (_options.WithRepoMesh)
            SystemComponents.CopyLocal(_components, Redis?.Host ?? "embedded:6379");
        else
            SystemComponents.Write(_components, Redis?.Host ?? "embedded:6379", _options.ExtraComponents);

        _tester = await StartSidecarAsync(TesterAppId, appPort: null);
        Dapr = new DaprClientBuilder().UseHttpEndpoint(_tester.HttpEndpoint).UseGrpcEndpoint(_tester.GrpcEndpoint).Build();

        foreach (var spec in _options.Apps)
        {
            var appPort = spec.AppPort ?? FreePort.Next();
            _tokens[spec.AppId] = AppTokens.New();
            var sidecar = await StartSidecarAsync(spec.AppId, appPort);
            var process = new AppProcessHost(spec, Environment(spec, appPort, sidecar));
            _apps[spec.AppId] = (process, sidecar, appPort);
            process.Start();
        }

        await Task.WhenAll(_options.Apps.Select(a => WaitHealthyAsync(a.AppId)));
    }

    private Task<SidecarInstance> StartSidecarAsync(string appId, int? appPort, int httpPort = 0, int grpcPort = 0) =>
        SidecarInstance.StartAsync(new SidecarOptions
        {
            AppId = appId,
            AppPort = appPort,
            HttpPort = httpPort,
            GrpcPort = grpcPort,
            ResourcesPaths = [_components],
            Backend = _options.Kind,
            ConfigPaths = _options.WithRepoMesh && appId != TesterAppId ? [Path.Combine(RepoLayout.Root, "components", "config", appId + ".yaml")] : [],
            ApiToken = _tokens.GetValueOrDefault(appId)?.DaprApiToken,
            AppApiToken = _tokens.GetValueOrDefault(appId)?.AppApiToken,
        }, _cluster, logging: l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));

    private Dictionary<string, string> Environment(AppSpec spec, int appPort, SidecarInstance sidecar)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["APP_ID"] = spec.AppId,
            ["APP_PORT"] = appPort.ToString(),
            ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(),
            ["DAPR_GRPC_PORT"] = sidecar.GrpcPort.ToString(),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{appPort}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            // Fresh per app and run, as `run -f` and AKS's Secrets give them: app → sidecar and sidecar → app.
            ["DAPR_API_TOKEN"] = _tokens[spec.AppId].DaprApiToken,
            ["APP_API_TOKEN"] = _tokens[spec.AppId].AppApiToken,
        };
        foreach (var (key, value) in TestIdentity.Environment)
            env[key] = value;
        foreach (var (key, value) in spec.Env ?? [])
            env[key] = value.Replace("{data}", DataDirectory, StringComparison.Ordinal);
        return env;
    }

    /// <summary>Calls <paramref name="appId"/> through the tester's sidecar: BaseAddress is …/v1.0/invoke/{appId}/method/.</summary>
    public HttpClient Invoke(string appId) =>
        Track(new HttpClient { BaseAddress = new Uri($"{TesterHttpEndpoint}/v1.0/invoke/{appId}/method/"), Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>Like <see cref="Invoke(string)"/>, signed in as <paramref name="subject"/> (see <see cref="TestIdentity"/>).</summary>
    public HttpClient Invoke(string appId, string subject, bool admin = false) => Invoke(appId).As(subject, admin);

    /// <summary>Calls the app's own port, bypassing Dapr.</summary>
    public HttpClient Direct(string appId) =>
        Track(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{App(appId).AppPort}/"), Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>
    /// Calls the app's own port as its sidecar does: with the app token (<c>dapr-api-token</c>) that opens
    /// subscription routes, <c>/dapr/*</c> and <c>/actors/*</c>; lets a test deliver events straight to one app.
    /// </summary>
    public HttpClient AsSidecar(string appId)
    {
        var client = Direct(appId);
        client.DefaultRequestHeaders.Add("dapr-api-token", AppApiToken(appId));
        return client;
    }

    /// <summary>
    /// Plain HTTP to <paramref name="appId"/>'s own sidecar with the app's DAPR_API_TOKEN, as the app's code calls it
    /// (state it owns, its actors); BaseAddress is the sidecar's root.
    /// </summary>
    public HttpClient SidecarHttp(string appId)
    {
        var client = Track(new HttpClient { BaseAddress = new Uri(Sidecar(appId).HttpEndpoint.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) });
        client.DefaultRequestHeaders.Add("dapr-api-token", DaprApiToken(appId));
        return client;
    }

    /// <summary>An SDK client on <paramref name="appId"/>'s own sidecar with the app's DAPR_API_TOKEN.</summary>
    public DaprClient SidecarClient(string appId, System.Text.Json.JsonSerializerOptions? json = null)
    {
        var sidecar = Sidecar(appId);
        var builder = new DaprClientBuilder().UseHttpEndpoint(sidecar.HttpEndpoint).UseGrpcEndpoint(sidecar.GrpcEndpoint)
            .UseDaprApiToken(DaprApiToken(appId));
        return (json is null ? builder : builder.UseJsonSerializationOptions(json)).Build();
    }

    /// <summary>The DAPR_API_TOKEN this run gave <paramref name="appId"/> (what the app presents to its own sidecar).</summary>
    public string DaprApiToken(string appId) =>
        _tokens.TryGetValue(appId, out var tokens) ? tokens.DaprApiToken : throw new ArgumentException($"no app '{appId}' in this system", nameof(appId));

    /// <summary>The APP_API_TOKEN this run gave <paramref name="appId"/> and its sidecar.</summary>
    public string AppApiToken(string appId) =>
        _tokens.TryGetValue(appId, out var tokens) ? tokens.AppApiToken : throw new ArgumentException($"no app '{appId}' in this system", nameof(appId));

    public SidecarInstance Sidecar(string appId) => App(appId).Sidecar;

    /// <summary>What the app printed (for assertion messages).</summary>
    public string Logs(string appId) => App(appId).Process.Log;

    /// <summary>Kills the app's process (a crash, not a graceful stop); its sidecar keeps running.</summary>
    public Task StopAppAsync(string appId) => App(appId).Process.StopAsync();

    public async Task StartAppAsync(string appId)
    {
        var process = App(appId).Process;
        if (!process.IsRunning)
            process.Start();
        await WaitHealthyAsync(appId);
    }

    /// <summary>
    /// Stops the app's sidecar (the app keeps running and sees connection failures, as when daprd restarts), runs
    /// <paramref name="whileDown"/>, then starts a new sidecar on the same ports.
    /// </summary>
    public async Task WithSidecarDownAsync(string appId, Func<Task> whileDown)
    {
        var (process, sidecar, appPort) = App(appId);
        var (httpPort, grpcPort) = (sidecar.HttpPort, sidecar.GrpcPort);
        await sidecar.DisposeAsync();
        try
        {
            await whileDown();
        }
        finally
        {
            _apps[appId] = (process, await StartSidecarAsync(appId, appPort, httpPort, grpcPort), appPort);
        }
    }

    private (AppProcessHost Process, SidecarInstance Sidecar, int AppPort) App(string appId) =>
        _apps.TryGetValue(appId, out var app) ? app : throw new ArgumentException($"no app '{appId}' in this system", nameof(appId));

    private async Task WaitHealthyAsync(string appId)
    {
        var (process, _, port) = App(appId);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!process.IsRunning)
                throw new InvalidOperationException($"app '{appId}' exited during start-up:\n{process.Log}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"app '{appId}' did not answer /healthz within {_options.StartTimeout.TotalSeconds:0}s:\n{process.Log}");
    }

    private HttpClient Track(HttpClient client)
    {
        lock (_clients)
            _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
                client.Dispose();
        }

        await Task.WhenAll(_apps.Values.Select(a => a.Process.StopAsync()));
        foreach (var (_, sidecar, _) in _apps.Values)
            await sidecar.DisposeAsync();
        if (_tester is not null)
            await _tester.DisposeAsync();
        Dapr?.Dispose();
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One app's pair of secrets for a run.</summary>
internal sealed record AppTokens(string DaprApiToken, string AppApiToken)
{
    public static AppTokens New() =>
        new(System.Security.Cryptography.RandomNumberGenerator.GetHexString(64, lowercase: true),
            System.Security.Cryptography.RandomNumberGenerator.GetHexString(64, lowercase: true));
}
