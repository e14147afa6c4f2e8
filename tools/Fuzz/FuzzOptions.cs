using System.Globalization;

namespace Fuzz;

public enum Backend
{
    /// <summary>Redis when redis-server is on PATH, the embedded backend otherwise.</summary>
    Auto,
    Redis,
    Memory,
}

/// <summary>Command-line knobs. Without <c>--target-web</c> the fuzzer starts (and stops) the whole system itself.</summary>
public sealed record FuzzOptions
{
    public const string Usage = """
        dotnet run --project tools/Fuzz -- [options]
          --requests N          requests to send (default 10000)
          --seed N              generator seed (default 1); the same seed sends the same requests
          --from N              first request index (default 0): --seed S --from I --requests 1 replays request I
          --concurrency N       requests in flight (default 8)
          --only TEXT           only routes whose name contains TEXT (e.g. "edge reservation", "/events/")
          --backend auto|redis|memory   the system this command starts (default auto: Redis when redis-server exists)
          --strategy etag|lock|actor    reservation's strategy in the system it starts (default actor: /actors routes exist)
          --target-web URL      fuzz a running system instead: its web app (the edge) ...
          --target APP=URL      ... and each app's own port (default: 127.0.0.1:<appPort> from dapr.yaml)
          --sidecar APP=URL     ... and its sidecar's HTTP API, for its subscriptions (default: daprHTTPPort from dapr.yaml)
          --app-token APP=TOKEN the app's APP_API_TOKEN, to reach sidecar-only routes past their token check
          --authority URL       the running system's tools/DevIdentity, for tokens (default: Auth__Authority in dapr.yaml)
          --timeout SECONDS     per request (default 30)
          --verbose             print every 5xx, not only the first of each cause
        """;

    public int Requests { get; init; } = 10_000;
    public int Seed { get; init; } = 1;
    public int From { get; init; }
    public int Concurrency { get; init; } = 8;
    public string? Only { get; init; }
    public Backend Backend { get; init; } = Backend.Auto;
    public string Strategy { get; init; } = "actor";
    public Uri? TargetWeb { get; init; }
    public IReadOnlyDictionary<string, Uri> Targets { get; init; } = new Dictionary<string, Uri>();
    public IReadOnlyDictionary<string, Uri> Sidecars { get; init; } = new Dictionary<string, Uri>();
    public IReadOnlyDictionary<string, string> AppTokens { get; init; } = new Dictionary<string, string>();
    public Uri? Authority { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public bool Verbose { get; init; }

    /// <summary>Where progress goes (stderr for the command, the test's output in a test).</summary>
    public TextWriter Log { get; init; } = Console.Error;

    public static FuzzOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FuzzOptions();
        var targets = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var sidecars = new Dictionary<string, Uri>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--requests": options = options with { Requests = Positive(Int(), "--requests") }; break;
                case "--seed": options = options with { Seed = Int() }; break;
                case "--from": options = options with { From = Math.Max(0, Int()) }; break;
                case "--concurrency": options = options with { Concurrency = Positive(Int(), "--concurrency") }; break;
                case "--only": options = options with { Only = Next() }; break;
                case "--backend": options = options with { Backend = Enum.Parse<Backend>(Next(), ignoreCase: true) }; break;
                case "--strategy": options = options with { Strategy = Next() }; break;
                case "--target-web": options = options with { TargetWeb = Url(Next()) }; break;
                case "--target": var (app, url) = Pair(Next()); targets[app] = Url(url); break;
                case "--sidecar": var (sidecarApp, sidecarUrl) = Pair(Next()); sidecars[sidecarApp] = Url(sidecarUrl); break;
                case "--app-token": var (tokenApp, token) = Pair(Next()); tokens[tokenApp] = token; break;
                case "--authority": options = options with { Authority = new Uri(Next()) }; break;
                case "--timeout": options = options with { Timeout = TimeSpan.FromSeconds(Positive(Int(), "--timeout")) }; break;
                case "--verbose": options = options with { Verbose = true }; break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"unknown argument '{args[i]}'\n{Usage}");
            }
        }

        if (targets.Count > 0 && options.TargetWeb is null)
            throw new ArgumentException("--target needs --target-web too (the edge is always fuzzed)");
        return options with { Targets = targets, Sidecars = sidecars, AppTokens = tokens };
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be positive");

    private static (string, string) Pair(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? (text[..eq], text[(eq + 1)..]) : throw new ArgumentException($"'{text}' is not APP=VALUE");
    }

    private static Uri Url(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http"
            ? uri
            : throw new ArgumentException($"'{text}' is not an http:// URL");
}
