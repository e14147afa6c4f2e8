using Microsoft.Extensions.Configuration;

namespace DaprReservations.BuildingBlocks.Sidecar;

/// <summary>Where the app's own sidecar answers HTTP, resolved the way the Dapr SDK does (configuration, then defaults).</summary>
public static class DaprSidecarEndpoint
{
    public const string HttpEndpointKey = "DAPR_HTTP_ENDPOINT";
    public const string HttpPortKey = "DAPR_HTTP_PORT";
    public const string ApiTokenKey = "DAPR_API_TOKEN";

    /// <summary>The header that carries DAPR_API_TOKEN to the sidecar (the sidecar sends APP_API_TOKEN to the app in the same header).</summary>
    public const string ApiTokenHeader = "dapr-api-token";
    public const string HealthPath = "/v1.0/healthz";
    public const int DefaultHttpPort = 3500;

    public static Uri ResolveHttpEndpoint(IConfiguration configuration)
    {
        var endpoint = configuration[HttpEndpointKey];
        if (!string.IsNullOrWhiteSpace(endpoint))
            return new Uri(endpoint, UriKind.Absolute);

        var port = int.TryParse(configuration[HttpPortKey], out var configuredPort) ? configuredPort : DefaultHttpPort;
        return new Uri($"http://127.0.0.1:{port}", UriKind.Absolute);
    }

    public static Uri ResolveHealthUri(IConfiguration configuration) =>
        new(ResolveHttpEndpoint(configuration), HealthPath);
}
