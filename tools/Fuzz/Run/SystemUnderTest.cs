using Fuzz.Generators;
using DaprReservations.Testing;
using LocalSidecar.MultiApp;

namespace Fuzz.Run;

/// <summary>
/// Where the fuzzer sends requests: the web app (the edge) and each app's own port, plus what it needs to act as a
/// customer, an admin or a sidecar. Either a system this command started (and stops), or one already running.
/// </summary>
public sealed class SystemUnderTest : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Apps = ["web", "catalog", "reservation", "ordering", "payment"];

    /// <summary>The apps the web app forwards <c>/api/{app}/...</c> to.</summary>
    public static readonly IReadOnlyList<string> EdgeApps = ["catalog", "reservation", "ordering"];

    private readonly DaprSystem? _owned;

    private SystemUnderTest(Uri web, IReadOnlyDictionary<string, Uri> direct, IReadOnlyDictionary<string, Sidecar> sidecars,
        Credentials credentials, IReadOnlyDictionary<string, string> appTokens, DaprSystem? owned, string description)
    {
        Web = web;
        Direct = direct;
        Sidecars = sidecars;
        Credentials = credentials;
        AppTokens = appTokens;
        _owned = owned;
        Description = description;
    }

    public Uri Web { get; }
    public IReadOnlyDictionary<string, Uri> Direct { get; }

    /// <summary>Each app's sidecar (HTTP API, and its DAPR_API_TOKEN if it has one): its metadata lists what it delivers.</summary>
    public IReadOnlyDictionary<string, Sidecar> Sidecars { get; }

    public sealed record Sidecar(Uri Http, string? ApiToken);
    /// <summary>Valid and refused tokens for this system's authority.</summary>
    public Credentials Credentials { get; }

    /// <summary>APP_API_TOKEN per app where known: what a sidecar presents to its app.</summary>
    public IReadOnlyDictionary<string, string> AppTokens { get; }

    public string Description { get; }

    /// <summary>What the apps printed (only for a system this command started): quoted next to a 5xx.</summary>
    public string? Logs(string app) => _owned?.Logs(app);

    public static async Task<SystemUnderTest> StartAsync(FuzzOptions options)
    {
        var redis = options.Backend switch
        {
            Backend.Redis => true,
            Backend.Memory => false,
            _ => RedisServerExists(),
        };
        var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = redis ? SidecarBackend.Redis : SidecarBackend.Memory,
            // As dapr.yaml runs: each app's components/config (accessControl) and components/local (topic scopes).
            WithRepoMesh = true,
            StartTimeout = TimeSpan.FromSeconds(180),
            Apps =
            [
                // The edge's rate limit would answer most of the fuzzer's requests with 429 before they reach a
                // service; it still runs, with room for a fuzz run (the limit has its own tests in Security.Tests).
                new AppSpec("web", "services/web", "Web.dll", new()
                {
                    ["Edge__RateLimit__TokenLimit"] = "1000000",
                    ["Edge__RateLimit__TokensPerPeriod"] = "1000000",
                }),
                new AppSpec("catalog", "services/catalog", "Catalog.dll", new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", new()
                {
                    ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
                    ["Reservation__Strategy"] = options.Strategy,
                    // Seeded holds must outlive the run: an expiry mid-run would be a state change the fuzzer did not make.
                    ["Reservation__HoldTtl"] = "02:00:00",
                }),
                new AppSpec("ordering", "services/ordering", "Ordering.dll", new()
                {
                    ["ConnectionStrings__ordering"] = "Data Source={data}/ordering.db",
                    ["Outbox__PollInterval"] = "00:00:00.250",
                }),
                new AppSpec("payment", "services/payment", "Payment.dll", new()
                {
                    ["ConnectionStrings__payment"] = "Data Source={data}/payment.db",
                    ["Payment__MinLatency"] = "00:00:00.010",
                    ["Payment__MaxLatency"] = "00:00:00.050",
                    ["Outbox__PollInterval"] = "00:00:00.250",
                }),
            ],
        });
        var direct = Apps.ToDictionary(app => app, app => system.Direct(app).BaseAddress!);
        var sidecars = Apps.ToDictionary(app => app, app => new Sidecar(new Uri(system.Sidecar(app).HttpEndpoint), system.Sidecar(app).Options.ApiToken));
        var description = $"started here: {Apps.Count} apps with local sidecars (the repo's accessControl and topic scopes) on the {(redis ? $"Redis backend ({system.Redis!.Host})" : "embedded backend")}, " +
            $"reservation strategy {options.Strategy}, data in {system.DataDirectory}";
        return new SystemUnderTest(direct["web"], direct, sidecars, Credentials.Minted(), AppTokensOf(system, options), system, description);
    }

    /// <summary>A running system: the edge and every app's port (defaults from dapr.yaml), tokens from its provider.</summary>
    public static async Task<SystemUnderTest> RunningAsync(FuzzOptions options, CancellationToken cancel)
    {
        var runFile = RunFile.Load(Path.Combine(RepoLayout.Root, "dapr.yaml"));
        var direct = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var sidecars = new Dictionary<string, Sidecar>(StringComparer.Ordinal);
        foreach (var app in Apps)
        {
            var apiToken = Environment.GetEnvironmentVariable("DAPR_API_TOKEN");
            if (options.Sidecars.TryGetValue(app, out var sidecarUrl))
                sidecars[app] = new Sidecar(sidecarUrl, apiToken);
            else if (runFile.FirstOrDefault(a => a.AppId == app)?.DaprHttpPort is { } sidecarPort)
                sidecars[app] = new Sidecar(new Uri($"http://127.0.0.1:{sidecarPort}/"), apiToken);
            if (options.Targets.TryGetValue(app, out var url))
                direct[app] = url;
            else if (runFile.FirstOrDefault(a => a.AppId == app)?.AppPort is { } port)
                direct[app] = new Uri($"http://127.0.0.1:{port}/");
        }

        direct["web"] = options.TargetWeb!;
        var authority = options.Authority
            ?? runFile.Select(a => a.Env.GetValueOrDefault("Auth__Authority")).Where(a => !string.IsNullOrEmpty(a)).Select(a => new Uri(a!)).FirstOrDefault()
            ?? throw new ArgumentException("no --authority and no Auth__Authority in dapr.yaml");
        var credentials = await Credentials.FromProviderAsync(authority, cancel);
        return new SystemUnderTest(options.TargetWeb!, direct, sidecars, credentials, options.AppTokens, owned: null,
            $"running system at {options.TargetWeb} (apps: {string.Join(", ", direct.Select(d => $"{d.Key}={d.Value.Authority}"))})");
    }

    /// <summary>The APP_API_TOKEN each sidecar presents to its app (where the fixture sets one), and any given on the command line.</summary>
    private static Dictionary<string, string> AppTokensOf(DaprSystem system, FuzzOptions options)
    {
        var tokens = Apps.Where(app => system.Sidecar(app).Options.AppApiToken is { Length: > 0 })
            .ToDictionary(app => app, app => system.Sidecar(app).Options.AppApiToken!, StringComparer.Ordinal);
        foreach (var (app, token) in options.AppTokens)
            tokens[app] = token;
        return tokens;
    }

    private static bool RedisServerExists() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/local/bin"])
        .Any(dir => File.Exists(Path.Combine(dir, "redis-server")));

    public async ValueTask DisposeAsync()
    {
        // Apps (killed by process id), sidecars, the temp folder, then the redis-server started for this system (by
        // its process id; its ProcessExit hook alone does not run when a test host is killed). A process runs one
        // fuzz system at a time, so nothing else is using that server.
        if (_owned is null)
            return;
        var redis = _owned.Redis;
        await _owned.DisposeAsync();
        redis?.Dispose();
    }
}
