using System.Text.Json;
using BuildingBlocks.Tests.Infrastructure;
using Dapr.Client;
using DaprReservations.BuildingBlocks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BuildingBlocks.Tests;

public sealed class ServiceDefaultsOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Reservation_Service")]
    public async Task Service_refuses_to_start_without_a_valid_dapr_app_id_as_its_name(string serviceName)
    {
        var start = () => SampleApp.StartAsync(new Dictionary<string, string?> { ["ServiceDefaults:ServiceName"] = serviceName });

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("ServiceDefaults:ServiceName");
    }

    [Fact]
    public async Task Service_refuses_to_start_with_a_sidecar_health_timeout_out_of_range()
    {
        var start = () => SampleApp.StartAsync(new Dictionary<string, string?> { ["ServiceDefaults:DaprHealthTimeout"] = "00:05:00" });

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("DaprHealthTimeout");
    }

    [Fact]
    public async Task Service_name_falls_back_to_the_app_id_that_dapr_run_exports()
    {
        await using var app = await SampleApp.StartAsync(new Dictionary<string, string?>
        {
            ["ServiceDefaults:ServiceName"] = "",
            ["APP_ID"] = "reservation",
        });

        app.App.Services.GetRequiredService<IOptions<ServiceDefaultsOptions>>().Value.ServiceName.Should().Be("reservation");
    }

    [Fact]
    public async Task Dapr_client_serializes_with_the_project_web_json_options()
    {
        await using var app = await SampleApp.StartAsync();

        var client = app.App.Services.GetRequiredService<DaprClient>();

        client.JsonSerializerOptions.Should().BeSameAs(DaprReservationsJson.Options);
        client.JsonSerializerOptions.PropertyNamingPolicy.Should().Be(JsonNamingPolicy.CamelCase);
        client.JsonSerializerOptions.PropertyNameCaseInsensitive.Should().BeTrue();
    }
}
