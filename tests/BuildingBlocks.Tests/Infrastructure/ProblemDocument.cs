using System.Net.Http.Json;
using System.Text.Json;

namespace BuildingBlocks.Tests.Infrastructure;

public static class ProblemDocument
{
    public const string MediaType = "application/problem+json";

    /// <summary>Asserts the response is a problem document with <paramref name="status"/> and returns its JSON.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, int status)
    {
        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be(MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("instance").GetString().Should().StartWith("/");
        return problem;
    }
}
