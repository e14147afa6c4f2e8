using System.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using DaprReservations.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Reservation.Tests.Api;

/// <summary>What a client sees before any store is touched: validation, and the OpenAPI document's promises.</summary>
public sealed class ApiContractTests : IClassFixture<ApiContractTests.App>
{
    private readonly HttpClient client;

    private readonly App app;

    public ApiContractTests(App app)
    {
        this.app = app;
        client = app.CreateClient().As("alice");
    }

    public sealed class App : WebApplicationFactory<ReservationOptions>
    {
        private readonly string database = Path.Combine(Path.GetTempPath(), $"reservation-api-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:reservation", $"Data Source={database}");
            builder.UseSetting("APP_ID", "reservation");
            builder.UseSetting("Reservation:SweepInterval", "01:00:00");
            builder.UseTestIdentity();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            File.Delete(database);
        }
    }

    [Fact]
    public async Task A_hold_without_slot_or_quantity_is_a_400_naming_both_fields()
    {
        var response = await client.PostAsJsonAsync("/holds", new { });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(["slotId", "quantity"]);
    }

    [Theory]
    [InlineData("""{"slotId":"s1","quantity":0}""")]
    [InlineData("""{"slotId":"s1","quantity":1001}""")]
    [InlineData("""{"slotId":"bad id!","quantity":1}""")]
    [InlineData("""{"slotId":"s1","quantity":"many"}""")]
    [InlineData("""not json""")]
    public async Task Malformed_holds_are_refused_with_400_not_5xx(string body)
    {
        var response = await client.PostAsync("/holds", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Without_a_token_holds_are_401_problems_and_admin_needs_the_admin_role()
    {
        var anonymous = app.CreateClient();

        var response = await anonymous.PostAsJsonAsync("/holds", new { slotId = "s1", quantity = 1 });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.PostAsync("/admin/sweep", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "alice is no admin");
        (await anonymous.GetAsync("/holds/abc")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("confirm")]
    [InlineData("revoke")]
    public async Task Saga_steps_refuse_a_customer_and_a_caller_outside_the_internal_list(string step)
    {
        (await client.PostAsync($"/holds/abc/{step}", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var spoofed = new HttpRequestMessage(HttpMethod.Post, $"/holds/abc/{step}");
        spoofed.Headers.Add("dapr-caller-app-id", "web");
        (await client.SendAsync(spoofed)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_overlong_idempotency_key_is_a_400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/holds") { Content = JsonContent.Create(new { slotId = "s1", quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", new string('k', 129));

        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_with_its_error_responses()
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths");

        string[] Responses(string path, string verb) =>
            paths.GetProperty(path).GetProperty(verb).GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();

        Responses("/holds", "post").Should().Contain(["201", "400", "404", "409", "429", "503"]);
        Responses("/holds/{holdId}", "get").Should().Contain(["200", "404"]);
        Responses("/holds/{holdId}", "delete").Should().Contain(["204", "404", "409"]);
        Responses("/holds/{holdId}/confirm", "post").Should().Contain(["200", "409", "503"]);
        Responses("/slots/{slotId}/availability", "get").Should().Contain(["200", "404"]);
        Responses("/admin/slots/{slotId}/reconcile", "post").Should().Contain(["200", "404"]);
    }
}
