using DaprReservations.BuildingBlocks.Sidecar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Health;

/// <summary>
/// Ready only while the sidecar is: every state, lock and pub/sub call goes through it, so an app whose sidecar is
/// down (or still loading components) must not get traffic.
/// </summary>
public sealed class DaprSidecarHealthCheck(
    IHttpClientFactory httpClientFactory,
    IConfiguration configuration,
    IOptions<ServiceDefaultsOptions> options) : IHealthCheck
{
    public const string HttpClientName = "dapr-sidecar-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var healthUri = DaprSidecarEndpoint.ResolveHealthUri(configuration);
        var timeout = options.Value.DaprHealthTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);

        using var request = new HttpRequestMessage(HttpMethod.Get, healthUri);
        // daprd does not ask for the token on healthz, but a sidecar behind a token-checking proxy would.
        var apiToken = configuration[DaprSidecarEndpoint.ApiTokenKey];
        if (!string.IsNullOrEmpty(apiToken))
            request.Headers.TryAddWithoutValidation("dapr-api-token", apiToken);

        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"Dapr sidecar at {healthUri} answered {(int)response.StatusCode}.")
                : Failed(context, $"Dapr sidecar at {healthUri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(context, $"Dapr sidecar at {healthUri} did not answer within {timeout.TotalMilliseconds:0} ms.");
        }
        catch (HttpRequestException exception)
        {
            return Failed(context, $"Dapr sidecar at {healthUri} is unreachable: {exception.Message}");
        }
    }

    // FailureStatus is Unhealthy unless a service registers the check with another one on purpose.
    private static HealthCheckResult Failed(HealthCheckContext context, string reason) =>
        new(context.Registration.FailureStatus, reason);
}
