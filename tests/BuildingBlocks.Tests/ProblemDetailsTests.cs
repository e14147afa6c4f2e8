using System.Net.Http.Json;
using System.Text;
using BuildingBlocks.Tests.Infrastructure;

namespace BuildingBlocks.Tests;

public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task Unhandled_exception_becomes_500_problem_without_stack_trace_or_message()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.GetAsync("/api/boom");

        var problem = await response.ReadProblemAsync(500);
        problem.GetProperty("instance").GetString().Should().Be("/api/boom");
        var body = problem.GetRawText();
        body.Should().NotContain("hunter2").And.NotContain("InvalidOperationException").And.NotContain("   at ");
        problem.TryGetProperty("exception", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Unhandled_exception_in_development_carries_the_exception_for_the_developer()
    {
        await using var app = await SampleApp.StartAsync(environment: "Development");

        using var response = await app.Client.GetAsync("/api/boom");

        var problem = await response.ReadProblemAsync(500);
        var exception = problem.GetProperty("exception");
        exception.GetProperty("type").GetString().Should().Be(typeof(InvalidOperationException).FullName);
        exception.GetProperty("stackTrace").GetString().Should().Contain(nameof(SampleApp));
    }

    [Fact]
    public async Task Malformed_json_body_is_400_problem_that_says_what_is_wrong()
    {
        await using var app = await SampleApp.StartAsync();
        using var content = new StringContent("{\"name\": \"chair\", \"quantity\": ", Encoding.UTF8, "application/json");

        using var response = await app.Client.PostAsync("/api/items", content);

        var problem = await response.ReadProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain("JSON").And.Contain("Item item");
    }

    [Fact]
    public async Task Json_value_of_the_wrong_type_is_400_problem_naming_the_field()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.PostAsJsonAsync("/api/items", new { name = "chair", quantity = "many" });

        var problem = await response.ReadProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain("$.quantity");
    }

    [Fact]
    public async Task Body_with_a_non_json_content_type_is_415_problem_not_500()
    {
        await using var app = await SampleApp.StartAsync();
        using var content = new StringContent("name=chair", Encoding.UTF8, "text/plain");

        using var response = await app.Client.PostAsync("/api/items", content);

        var problem = await response.ReadProblemAsync(415);
        problem.GetProperty("detail").GetString().Should().Contain("text/plain");
    }

    [Fact]
    public async Task Unknown_route_is_404_problem()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.GetAsync("/api/nothing-here");

        var problem = await response.ReadProblemAsync(404);
        problem.GetProperty("instance").GetString().Should().Be("/api/nothing-here");
        problem.GetProperty("detail").GetString().Should().Be("No endpoint answers GET /api/nothing-here.");
    }

    [Fact]
    public async Task Wrong_method_on_a_known_route_is_405_problem()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.DeleteAsync("/api/items/7");

        var problem = await response.ReadProblemAsync(405);
        problem.GetProperty("detail").GetString().Should().Contain("DELETE is not allowed");
    }

    [Fact]
    public async Task Non_numeric_id_misses_the_int_route_and_is_a_404_problem_not_a_500()
    {
        await using var app = await SampleApp.StartAsync();

        // The {id:int} constraint makes this a routing miss: the client hears 404, not an exception.
        using var response = await app.Client.GetAsync("/api/items/seven");

        await response.ReadProblemAsync(404);
    }
}
