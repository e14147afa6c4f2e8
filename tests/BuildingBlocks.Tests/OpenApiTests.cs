using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BuildingBlocks.Tests.Infrastructure;

namespace BuildingBlocks.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task Swagger_json_lists_the_sample_endpoints_under_the_service_title()
    {
        await using var app = await SampleApp.StartAsync(environment: "Development");

        var document = await app.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        document.GetProperty("info").GetProperty("title").GetString().Should().Be(SampleApp.Title);
        var paths = document.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        paths.Should().Contain(["/api/items/{id}", "/api/items", "/api/items/{id}/confirm", "/api/throttled"]);
        paths.Should().NotContain(["/healthz", "/readyz"]);
    }

    [Fact]
    public async Task Swagger_json_documents_problem_details_and_the_declared_error_responses()
    {
        await using var app = await SampleApp.StartAsync(environment: "Development");

        var document = await app.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        var schemas = document.GetProperty("components").GetProperty("schemas");
        schemas.TryGetProperty("ProblemDetails", out _).Should().BeTrue();
        schemas.TryGetProperty("HttpValidationProblemDetails", out _).Should().BeTrue();

        var update = document.GetProperty("paths").GetProperty("/api/items/{id}").GetProperty("put").GetProperty("responses");
        update.EnumerateObject().Select(response => response.Name).Should().Contain(["400", "412", "500"]);
        update.GetProperty("412").GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_swagger()
    {
        await using var app = await SampleApp.StartAsync(environment: "Development");

        using var response = await app.Client.GetAsync("/swagger/index.html");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Theory]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Outside_Development_there_is_no_api_map_unless_enabled(string path)
    {
        await using var production = await SampleApp.StartAsync();
        await using var enabled = await SampleApp.StartAsync(new Dictionary<string, string?> { ["OpenApi:Enabled"] = "true" });

        (await production.Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await enabled.Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
