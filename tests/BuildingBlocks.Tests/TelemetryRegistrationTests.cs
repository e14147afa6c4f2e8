using System.Reflection;
using System.Text;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using BuildingBlocks.Tests.Infrastructure;
using LocalSidecar.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace BuildingBlocks.Tests;

public sealed class TelemetryRegistrationTests
{
    private static readonly Assembly OtlpExporterAssembly = typeof(OtlpExporterOptions).Assembly;
    private static readonly Assembly AzureMonitorAssembly = typeof(AzureMonitorOptions).Assembly;

    [Fact]
    public void No_exporter_is_registered_when_neither_endpoint_nor_connection_string_is_configured()
    {
        var builder = SampleApp.CreateBuilder();

        builder.Services.ContributedBy(OtlpExporterAssembly).Should().BeEmpty();
        builder.Services.ContributedBy(AzureMonitorAssembly).Should().BeEmpty();
    }

    [Fact]
    public void Otlp_exporter_is_registered_when_its_endpoint_is_configured()
    {
        var builder = SampleApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        builder.Services.Should().Contain(descriptor => descriptor.ServiceType == typeof(IOptionsFactory<OtlpExporterOptions>));
        builder.Services.ContributedBy(AzureMonitorAssembly).Should().BeEmpty();
    }

    [Fact]
    public void Azure_monitor_is_registered_when_its_connection_string_is_configured()
    {
        var builder = SampleApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        });

        builder.Services.ContributedBy(AzureMonitorAssembly).Should().NotBeEmpty();
        builder.Services.ContributedBy(OtlpExporterAssembly).Should().BeEmpty();
    }

    [Fact]
    public async Task Request_spans_reach_the_configured_otlp_endpoint_and_health_probes_do_not()
    {
        await using var collector = await FakeOtlpReceiver.StartAsync();
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });

        (await app.Client.GetAsync("/healthz")).Dispose();
        (await app.Client.GetAsync("/readyz")).Dispose();
        using var response = await app.Client.GetAsync("/api/items/1");
        response.EnsureSuccessStatusCode();

        // The server span ends just after the client has its response, so flush until it has been exported.
        var tracerProvider = app.App.Services.GetRequiredService<TracerProvider>();
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (!ExportedTraces(collector).Contains("/api/items/1") && DateTime.UtcNow < deadline)
        {
            tracerProvider.ForceFlush(timeoutMilliseconds: 1000);
            await Task.Delay(100);
        }

        var traces = ExportedTraces(collector);
        traces.Should().Contain("/api/items/1");
        traces.Should().NotContain("/healthz").And.NotContain("/readyz").And.NotContain("/v1.0/healthz");
    }

    private static string ExportedTraces(FakeOtlpReceiver collector) =>
        string.Concat(collector.BodiesPostedTo("/v1/traces").Select(body => Encoding.UTF8.GetString(body)));
}
