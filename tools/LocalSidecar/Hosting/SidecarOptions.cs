namespace LocalSidecar.Hosting;

/// <summary>Which engine serves the Redis-typed components.</summary>
public enum BackendKind
{
    /// <summary>Real Redis at each component's <c>redisHost</c>, with Dapr's exact key layout and Lua scripts.</summary>
    Redis,

    /// <summary>An embedded, in-process engine with the same semantics: zero-install local runs.</summary>
    Memory,
}

/// <summary>The settings daprd takes as flags (<c>--app-id</c>, <c>--app-port</c>, ...).</summary>
public sealed record SidecarOptions
{
    public required string AppId { get; init; }

    /// <summary>The app's port; null when the sidecar runs without an app (no delivery, no actors, no invocation target).</summary>
    public int? AppPort { get; init; }

    public string AppChannelAddress { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port; read the bound one from <see cref="SidecarInstance.HttpPort"/>.</summary>
    public int HttpPort { get; init; } = 3500;

    public int GrpcPort { get; init; } = 50001;

    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary>Dapr Configuration files (daprd's --config), merged in order; empty means daprd's default configuration.</summary>
    public IReadOnlyList<string> ConfigPaths { get; init; } = [];

    public BackendKind Backend { get; init; } = BackendKind.Redis;

    /// <summary>DAPR_API_TOKEN: required from the app on every API call except healthz.</summary>
    public string? ApiToken { get; init; }

    /// <summary>APP_API_TOKEN: sent to the app as dapr-api-token on every call the sidecar makes to it.</summary>
    public string? AppApiToken { get; init; }

    public string? Namespace { get; init; }

    /// <summary>How long to wait for the app's port before reading /dapr/subscribe and /dapr/config.</summary>
    public TimeSpan AppStartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Log each API call at Information (daprd's --enable-api-logging).</summary>
    public bool ApiLogging { get; init; }
}
