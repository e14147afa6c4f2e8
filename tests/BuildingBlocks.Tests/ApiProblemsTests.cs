using System.Net.Http.Json;
using BuildingBlocks.Tests.Infrastructure;

namespace BuildingBlocks.Tests;

public sealed class ApiProblemsTests
{
    [Fact]
    public async Task Validation_helper_gives_400_with_errors_keyed_by_field()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.PostAsJsonAsync("/api/items", new Item("", 1));

        var problem = await response.ReadProblemAsync(400);
        var errors = problem.GetProperty("errors");
        errors.GetProperty("name").EnumerateArray().Select(message => message.GetString())
            .Should().Equal("A name is required.");
    }

    [Fact]
    public async Task Valid_request_passes_through_untouched()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.PostAsJsonAsync("/api/items", new Item("chair", 2));

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        (await response.Content.ReadFromJsonAsync<Item>()).Should().Be(new Item("chair", 2));
    }

    [Fact]
    public async Task Conflict_helper_gives_409_problem_with_the_detail()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.PostAsync("/api/items/3/confirm", content: null);

        var problem = await response.ReadProblemAsync(409);
        problem.GetProperty("detail").GetString().Should().Be("Item 3 is already confirmed.");
    }

    [Fact]
    public async Task Precondition_helper_gives_412_problem_for_a_stale_etag()
    {
        await using var app = await SampleApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/items/3");
        request.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");

        using var response = await app.Client.SendAsync(request);

        var problem = await response.ReadProblemAsync(412);
        problem.GetProperty("detail").GetString().Should().Contain("\"stale\"");
    }

    [Fact]
    public async Task Too_many_requests_helper_gives_429_with_retry_after_rounded_up_to_whole_seconds()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.GetAsync("/api/throttled");

        await response.ReadProblemAsync(429);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Service_unavailable_helper_gives_503_with_retry_after()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.GetAsync("/api/unavailable");

        var problem = await response.ReadProblemAsync(503);
        problem.GetProperty("detail").GetString().Should().Be("Store is down.");
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(10));
    }
}
