using Azure.Monitor.OpenTelemetry.AspNetCore;
using DaprReservations.BuildingBlocks.Health;
using DaprReservations.BuildingBlocks.Sidecar;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DaprReservations.BuildingBlocks.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Configuration keys that switch exporters on; the same build runs locally (OTLP) and on Azure.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AzureMonitorConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static TBuilder AddDefaultTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddDetector(services =>
                new ServiceResourceDetector(services.GetRequiredService<IOptions<ServiceDefaultsOptions>>().Value)))
            .WithTracing(tracing => tracing
                .AddSource(DaprReservationsTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation()
                // DaprClient speaks gRPC through Grpc.Net.Client, which rides on HttpClient: these spans cover
                // every sidecar call (state, pub/sub, lock) as well as plain service invocation over HTTP.
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(DaprReservationsTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        // Configured as options rather than inline so the filters also apply to the instrumentation the Azure
        // Monitor distro registers on its own. Probes hit these endpoints every few seconds: tracing them only
        // buries real requests.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
            options.Filter = context => !IsHealthProbe(context.Request.Path));
        builder.Services.Configure<HttpClientTraceInstrumentationOptions>(options =>
            options.FilterHttpRequestMessage = request =>
                request.RequestUri?.AbsolutePath != DaprSidecarEndpoint.HealthPath);

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
            telemetry.UseOtlpExporter();

        if (!string.IsNullOrWhiteSpace(builder.Configuration[AzureMonitorConnectionStringKey]))
            telemetry.UseAzureMonitor(options =>
                options.ConnectionString = builder.Configuration[AzureMonitorConnectionStringKey]);

        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthCheckExtensions.LivenessPath) ||
        path.StartsWithSegments(HealthCheckExtensions.ReadinessPath);
}
