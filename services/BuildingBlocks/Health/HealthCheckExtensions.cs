using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DaprReservations.BuildingBlocks.Health;

public static class HealthCheckExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>Checks tagged "live" decide liveness; every check (a service adds its database) decides readiness.</summary>
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";
    public const string SelfCheckName = "self";
    public const string DaprSidecarCheckName = "dapr-sidecar";

    public static IServiceCollection AddDefaultHealthChecks(this IServiceCollection services)
    {
        services.AddHttpClient(DaprSidecarHealthCheck.HttpClientName, client =>
            // Backstop only: the check's own per-call deadline (ServiceDefaults:DaprHealthTimeout) is shorter.
            client.Timeout = TimeSpan.FromSeconds(30));

        services.AddHealthChecks()
            .AddCheck(SelfCheckName, () => HealthCheckResult.Healthy("The process is up."), [LiveTag])
            .AddCheck<DaprSidecarHealthCheck>(DaprSidecarCheckName, HealthStatus.Unhealthy, [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapDefaultHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        // Liveness must not depend on the sidecar or a database: restarting the app would not fix either.
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = _ => true,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();
        return endpoints;
    }
}
