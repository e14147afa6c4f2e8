using System.Net.Sockets;
using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.MultiApp;

/// <summary>
/// The Docker-free equivalent of <c>dapr run -f dapr.yaml</c>: one sidecar per app (all in this process, sharing one
/// cluster so invocation, pub/sub and actors reach across apps), then each app's command with the DAPR_* variables the
/// CLI sets and API tokens generated per app when none is given; Ctrl+C or SIGTERM stops the apps first, then the sidecars.
/// </summary>
public static class MultiAppRunner
{
    public static async Task<int> RunAsync(string runFile, BackendKind? backend, CancellationToken stop)
    {
        var output = Console.Out;
        var apps = RunFile.Load(runFile);
        var kind = backend ?? ChooseBackend(apps, output);
        await using var cluster = new LocalCluster(kind);
        var sidecars = new List<SidecarInstance>();
        var processes = new List<AppProcess>();
        try
        {
            foreach (var app in apps)
            {
                var options = SidecarOptionsFor(app, kind, Environment.GetEnvironmentVariable);
                sidecars.Add(await SidecarInstance.StartAsync(options, cluster, cancellationToken: stop));
                await output.WriteLineAsync(TokenNotice(app, Environment.GetEnvironmentVariable));
            }

            foreach (var (app, sidecar) in apps.Zip(sidecars))
            {
                if (app.Command.Count == 0)
                {
                    await output.WriteLineAsync($"app '{app.AppId}' has no command: its sidecar runs alone on http {sidecar.HttpPort}");
                    continue;
                }

                processes.Add(AppProcess.Start(app, AppEnvironment(app, sidecar.Options), output));
                await output.WriteLineAsync($"started app '{app.AppId}' (app port {app.AppPort?.ToString() ?? "-"}, dapr http {sidecar.HttpPort}, grpc {sidecar.GrpcPort})");
            }

            await output.WriteLineAsync($"== {apps.Count} app(s) running on the {kind.ToString().ToLowerInvariant()} backend; Ctrl+C stops everything ==");
            var allExited = processes.Count == 0 ? Task.Delay(Timeout.Infinite, stop) : Task.WhenAll(processes.Select(p => p.Exited));
            await Task.WhenAny(allExited, Task.Delay(Timeout.Infinite, stop));
            return 0;
        }
        finally
        {
            await output.WriteLineAsync("stopping apps and sidecars");
            await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
            foreach (var sidecar in sidecars)
                await sidecar.DisposeAsync();
        }
    }

    /// <summary>
    /// One app's sidecar settings. DAPR_API_TOKEN and APP_API_TOKEN come from the app's env in the run file, then from
    /// this process's environment; when neither gives one, a fresh random token is made for this app and this run
    /// (the Dapr CLI sets none; we do so local runs refuse what AKS refuses), handed to both the app and its sidecar.
    /// </summary>
    public static SidecarOptions SidecarOptionsFor(RunFileApp app, BackendKind backend, Func<string, string?> environment) => new()
    {
        AppId = app.AppId,
        AppPort = app.AppPort,
        AppChannelAddress = app.AppChannelAddress,
        HttpPort = app.DaprHttpPort ?? FreePort.Next(),
        GrpcPort = app.DaprGrpcPort ?? FreePort.Next(),
        ResourcesPaths = app.ResourcesPaths,
        ConfigPaths = app.ConfigFilePath is { } config ? [config] : [],
        Backend = backend,
        ApiToken = Given("DAPR_API_TOKEN", app, environment) ?? NewToken(),
        AppApiToken = Given("APP_API_TOKEN", app, environment) ?? NewToken(),
    };

    /// <summary>32 random bytes as 64 hex digits.</summary>
    public static string NewToken() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Says where each token and the configuration came from, never a token itself.</summary>
    public static string TokenNotice(RunFileApp app, Func<string, string?> environment)
    {
        string Source(string name) => app.Env.TryGetValue(name, out var v) && v.Length > 0 ? "run file"
            : environment(name) is { Length: > 0 } ? "environment" : "generated for this run";
        return $"app '{app.AppId}': DAPR_API_TOKEN {Source("DAPR_API_TOKEN")}, APP_API_TOKEN {Source("APP_API_TOKEN")}, " +
               $"configuration {app.ConfigFilePath ?? "default (no configFilePath)"}";
    }

    /// <summary>What the Dapr CLI hands an app (§7.2 of the reference), plus the run file's env.</summary>
    public static Dictionary<string, string> AppEnvironment(RunFileApp app, SidecarOptions sidecar)
    {
        var env = new Dictionary<string, string>(app.Env)
        {
            ["APP_ID"] = app.AppId,
            ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(),
            ["DAPR_GRPC_PORT"] = sidecar.GrpcPort.ToString(),
            ["APP_PROTOCOL"] = app.AppProtocol,
        };
        if (app.AppPort is { } port)
            env["APP_PORT"] = port.ToString();
        if (app.AppChannelAddress != "127.0.0.1")
            env["APP_CHANNEL_ADDRESS"] = app.AppChannelAddress;
        if (sidecar.ApiToken is not null)
            env["DAPR_API_TOKEN"] = sidecar.ApiToken;
        if (sidecar.AppApiToken is not null)
            env["APP_API_TOKEN"] = sidecar.AppApiToken;
        return env;
    }

    private static string? Given(string name, RunFileApp app, Func<string, string?> environment) =>
        app.Env.TryGetValue(name, out var v) && v.Length > 0 ? v
            : environment(name) is { Length: > 0 } e ? e : null;

    /// <summary>Redis when every Redis-typed component's redisHost answers; otherwise the embedded backend.</summary>
    public static BackendKind ChooseBackend(IReadOnlyList<RunFileApp> apps, TextWriter output)
    {
        var hosts = apps.SelectMany(a => ComponentLoader.Load(a.ResourcesPaths, a.AppId).Components)
            .Where(c => c.Type.EndsWith(".redis", StringComparison.Ordinal) && c.Get("redisHost") is { Length: > 0 })
            .Select(c => c.Get("redisHost")!).Distinct().ToList();
        var unreachable = hosts.Where(h => !Reachable(h)).ToList();
        if (hosts.Count > 0 && unreachable.Count == 0)
        {
            output.WriteLine($"backend: redis ({string.Join(", ", hosts)} reachable)");
            return BackendKind.Redis;
        }

        output.WriteLine(hosts.Count == 0
            ? "backend: memory (no Redis components)"
            : $"backend: memory (no Redis at {string.Join(", ", unreachable)}; state, locks and topics live in this process)");
        return BackendKind.Memory;
    }

    private static bool Reachable(string hostAndPort)
    {
        var colon = hostAndPort.LastIndexOf(':');
        var host = colon > 0 ? hostAndPort[..colon] : hostAndPort;
        var port = colon > 0 && int.TryParse(hostAndPort[(colon + 1)..], out var p) ? p : 6379;
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromMilliseconds(500)) && client.Connected;
        }
        catch (Exception ex) when (ex is SocketException or AggregateException)
        {
            return false;
        }
    }
}
