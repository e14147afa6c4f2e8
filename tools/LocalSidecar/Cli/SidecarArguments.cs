using LocalSidecar.Hosting;

namespace LocalSidecar.Cli;

/// <summary>daprd-style flags: --app-id, --app-port, --dapr-http-port, --dapr-grpc-port, --resources-path, plus --backend.</summary>
public static class SidecarArguments
{
    public const string Usage =
        "usage: LocalSidecar run -f <dapr.yaml or folder> [--backend redis|memory|auto]\n" +
        "       LocalSidecar --app-id <id> [--app-port <port>] [--dapr-http-port 3500] [--dapr-grpc-port 50001]\n" +
        "                    [--resources-path <dir>]... [--backend redis|memory] [--app-channel-address 127.0.0.1]\n" +
        "                    [--config <configuration.yaml>]... [--enable-api-logging]\n" +
        "environment: DAPR_API_TOKEN (app -> sidecar), APP_API_TOKEN (sidecar -> app)";

    public static SidecarOptions Parse(IReadOnlyList<string> args)
    {
        string? appId = null;
        int? appPort = null;
        int httpPort = 3500, grpcPort = 50001;
        var resources = new List<string>();
        var configs = new List<string>();
        var backend = BackendKind.Redis;
        var channel = "127.0.0.1";
        var apiLogging = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--app-id": appId = Next(); break;
                case "--app-port": appPort = Port(Next()); break;
                case "--dapr-http-port": httpPort = Port(Next()); break;
                case "--dapr-grpc-port": grpcPort = Port(Next()); break;
                case "--resources-path" or "--components-path": resources.Add(Next()); break;
                case "--app-channel-address": channel = Next(); break;
                case "--config": configs.Add(Next()); break;
                case "--enable-api-logging": apiLogging = true; break;
                case "--backend":
                    backend = Next() switch
                    {
                        "redis" => BackendKind.Redis,
                        "memory" => BackendKind.Memory,
                        var other => throw new ArgumentException($"--backend must be redis or memory, not '{other}'"),
                    };
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        if (string.IsNullOrWhiteSpace(appId))
            throw new ArgumentException("--app-id is required");
        return new SidecarOptions
        {
            AppId = appId,
            AppPort = appPort,
            HttpPort = httpPort,
            GrpcPort = grpcPort,
            ResourcesPaths = resources,
            ConfigPaths = configs.Select(Path.GetFullPath).ToList(),
            Backend = backend,
            AppChannelAddress = channel,
            ApiLogging = apiLogging,
            ApiToken = Environment.GetEnvironmentVariable("DAPR_API_TOKEN") is { Length: > 0 } t ? t : null,
            AppApiToken = Environment.GetEnvironmentVariable("APP_API_TOKEN") is { Length: > 0 } a ? a : null,
        };
    }

    private static int Port(string value) =>
        int.TryParse(value, out var port) && port is >= 0 and <= 65535 ? port : throw new ArgumentException($"'{value}' is not a port");
}
