using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BuildingBlocks.Tests.Infrastructure;
using DaprReservations.BuildingBlocks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks.Tests;

/// <summary>
/// Bodies the framework's readers throw on are the client's mistake: an undecodable charset is a 415 and a
/// CloudEvent Dapr's CloudEvents middleware cannot unwrap is a 400, both problem documents (found by tools/Fuzz, where
/// both were 500s).
/// </summary>
public sealed class RequestBodyGuardTests
{
    [Theory]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json;charset=")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task A_charset_the_service_cannot_decode_is_415_problem_not_500(string contentType)
    {
        await using var app = await SampleApp.StartAsync(environment: "Development");

        using var response = await app.Client.PostAsync("/api/items", Body("{\"name\":\"chair\",\"quantity\":1}", contentType));

        var problem = await response.ReadProblemAsync(415);
        problem.GetProperty("detail").GetString().Should().Contain("charset");
    }

    [Fact]
    public async Task A_charset_the_service_decodes_still_reaches_the_endpoint()
    {
        await using var app = await SampleApp.StartAsync();

        using var response = await app.Client.PostAsync("/api/items", Body("{\"name\":\"chair\",\"quantity\":1}", "application/json; charset=utf-8"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("{\"id\":\"1\",\"data\":{\"orderId\":\"\\ud800\"}}", "$.data.orderId")]
    [InlineData("{\"id\":\"1\",\"data\":[\"ok\",\"a\\udc00\"]}", "$.data[1]")]
    [InlineData("{\"id\":\"1\",\"data\":{\"\\ud800\":1}}", "$.data")]
    [InlineData("{\"id\":\"1\",\"datacontenttype\":\"a\\ud800\",\"data\":{}}", "$.datacontenttype")]
    public async Task A_cloud_event_with_a_lone_surrogate_is_400_problem_naming_where(string envelope, string where)
    {
        await using var app = await StartWithCloudEventsAsync();

        using var response = await app.Client.PostAsync("/events/thing", Body(envelope, "application/cloudevents+json"));

        var problem = await response.ReadProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain(where).And.Contain("not valid Unicode");
    }

    [Theory]
    [InlineData("{\"id\":\"1\",\"data\":", "not a JSON document")]
    [InlineData("42", "not an object")]
    [InlineData("[{\"data\":{}}]", "not an object")]
    [InlineData("{\"id\":\"1\",\"data_base64\":\"!!!\"}", "data_base64")]
    [InlineData("{\"id\":\"1\",\"data_base64\":42}", "data_base64")]
    [InlineData("{\"id\":\"1\",\"data\":{},\"data_base64\":\"e30=\"}", "both")]
    public async Task A_cloud_event_dapr_cannot_unwrap_is_400_problem_not_500(string envelope, string detail)
    {
        await using var app = await StartWithCloudEventsAsync();

        using var response = await app.Client.PostAsync("/events/thing", Body(envelope, "application/cloudevents+json"));

        var problem = await response.ReadProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain(detail);
    }

    [Fact]
    public async Task A_cloud_event_with_invalid_utf8_bytes_is_400_problem()
    {
        await using var app = await StartWithCloudEventsAsync();
        byte[] envelope = [.. "{\"id\":\"1\",\"data\":{\"orderId\":\""u8, 0xED, 0xA0, 0x80, .. "\"}}"u8];
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents+json");

        using var response = await app.Client.PostAsync("/events/thing", content);

        var problem = await response.ReadProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain("$.data.orderId");
    }

    [Fact]
    public async Task A_valid_cloud_event_is_unwrapped_for_the_handler_as_before()
    {
        await using var app = await StartWithCloudEventsAsync();
        const string envelope = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"type\":\"t\",\"source\":\"s\",\"datacontenttype\":\"application/json\"," +
            "\"data\":{\"name\":\"예약 🎟️\",\"quantity\":2}}";

        using var response = await app.Client.PostAsync("/events/thing", Body(envelope, "application/cloudevents+json"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("예약 🎟️ x2 (event e-1)");
    }

    private static StringContent Body(string text, string contentType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        // Unvalidated: HttpClient itself refuses some of the headers a client can still send ("charset=").
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>The sample service with Dapr's CloudEvents middleware and one subscription-style handler.</summary>
    private static async Task<SampleApp> StartWithCloudEventsAsync()
    {
        var app = SampleApp.CreateBuilder(environment: "Development").Build();
        app.MapDefaultEndpoints();
        app.UseCloudEvents(new Dapr.CloudEventsMiddlewareOptions { ForwardCloudEventPropertiesAsHeaders = true, IncludedCloudEventPropertiesAsHeaders = ["id"] });
        app.MapPost("/events/thing", (Item item, HttpRequest request) => $"{item.Name} x{item.Quantity} (event {request.Headers["Cloudevent.id"]})");
        await app.StartAsync();
        return SampleApp.From(app);
    }
}
