using DaprReservations.BuildingBlocks.Sidecar;
using DaprReservations.BuildingBlocks.Health;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.BuildingBlocks.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks;

/// <summary>
/// What every DaprReservations service gets from two calls: <c>builder.AddServiceDefaults()</c> and, right after
/// <c>Build()</c> and before the service's own middleware, <c>app.MapDefaultEndpoints()</c>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ServiceDefaultsOptions>()
            .BindConfiguration(ServiceDefaultsOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.ServiceName))
                    options.ServiceName = configuration["APP_ID"] ?? "";
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ServiceDefaultsOptions>, ServiceDefaultsOptionsValidator>());
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ServiceDefaultsOptions>, AppApiTokenStartupCheck>());
        builder.Services.TryAddSingleton<AppApiToken>();

        builder.AddDefaultTelemetry();
        builder.Services.AddDefaultHealthChecks();
        builder.Services.AddDefaultProblemDetails();
        builder.Services.AddDefaultDaprClient();
        return builder;
    }

    /// <summary>
    /// Puts the error handling in front of everything else (so it must be the first thing after <c>Build()</c>), then
    /// the sidecar-only guard (subscription routes, <c>/dapr/*</c>, <c>/actors/*</c> need the app token), and maps
    /// <c>/healthz</c> and <c>/readyz</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseDefaultProblemDetails();
        app.UseSidecarOnlyRoutes();
        app.MapDefaultHealthChecks();
        return app;
    }
}
