using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using BuildingBlocks.Tests.Infrastructure;
using DaprReservations.BuildingBlocks.Health;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Liveness_is_healthy_without_a_sidecar_and_runs_only_live_checks()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.GetAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("Healthy");
        CheckNames(report).Should().Equal(HealthCheckExtensions.SelfCheckName);
    }

    [Fact]
    public async Task Readiness_is_unhealthy_and_names_the_dapr_check_when_no_sidecar_listens()
    {
        var deadEndpoint = $"http://127.0.0.1:{FreePort.Next()}";
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = deadEndpoint });

        using var response = await app.Client.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("Unhealthy");
        var dapr = Check(report, HealthCheckExtensions.DaprSidecarCheckName);
        dapr.GetProperty("status").GetString().Should().Be("Unhealthy");
        dapr.GetProperty("description").GetString().Should().Contain(deadEndpoint).And.Contain("unreachable");
        Check(report, HealthCheckExtensions.SelfCheckName).GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task Readiness_is_healthy_when_the_sidecar_answers_its_healthz()
    {
        await using var sidecar = await FakeSidecar.StartAsync(StatusCodes.Status204NoContent);
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = sidecar.Endpoint });

        using var response = await app.Client.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("Healthy");
        Check(report, HealthCheckExtensions.DaprSidecarCheckName).GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task Readiness_is_unhealthy_with_the_answer_when_the_sidecar_reports_itself_unhealthy()
    {
        // daprd answers 500 on /v1.0/healthz until its components are loaded and the app channel is up.
        await using var sidecar = await FakeSidecar.StartAsync(StatusCodes.Status500InternalServerError);
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = sidecar.Endpoint });

        using var response = await app.Client.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Check(report, HealthCheckExtensions.DaprSidecarCheckName).GetProperty("description").GetString()
            .Should().Contain("answered 500");
    }

    [Fact]
    public async Task Readiness_is_unhealthy_when_the_sidecar_hangs_past_the_health_timeout()
    {
        await using var sidecar = await FakeSidecar.StartAsync(StatusCodes.Status204NoContent, answerDelay: TimeSpan.FromSeconds(10));
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?>
        {
            ["DAPR_HTTP_ENDPOINT"] = sidecar.Endpoint,
            ["ServiceDefaults:DaprHealthTimeout"] = "00:00:00.200",
        });

        using var response = await app.Client.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Check(report, HealthCheckExtensions.DaprSidecarCheckName).GetProperty("description").GetString()
            .Should().Contain("did not answer within 200 ms");
    }

    [Fact]
    public async Task Sidecar_port_alone_points_the_check_at_loopback()
    {
        await using var sidecar = await FakeSidecar.StartAsync(StatusCodes.Status204NoContent);
        var port = new Uri(sidecar.Endpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?>
        {
            ["DAPR_HTTP_ENDPOINT"] = "",
            ["DAPR_HTTP_PORT"] = port,
        });

        using var response = await app.Client.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static IEnumerable<string?> CheckNames(JsonElement report) =>
        report.GetProperty("checks").EnumerateArray().Select(check => check.GetProperty("name").GetString());

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == name);
}
