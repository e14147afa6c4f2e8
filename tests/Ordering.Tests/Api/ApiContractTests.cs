using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ordering.Tests.Api;

/// <summary>What a client sees before the saga is involved: sign-in, validation, not-found, and the OpenAPI promises.</summary>
public sealed class ApiContractTests(ApiContractTests.App app) : IClassFixture<ApiContractTests.App>
{
    private readonly HttpClient alice = app.CreateClient().As("alice");

    private const string AppToken = "ordering-app-token-for-api-tests";

    public sealed class App : WebApplicationFactory<Ordering.OrderingOptions>
    {
        private readonly string database = Path.Combine(Path.GetTempPath(), $"ordering-api-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:ordering", $"Data Source={database}");
            builder.UseSetting("APP_ID", "ordering");
            builder.UseTestIdentity();
            builder.UseSetting("Ordering:SweepInterval", "01:00:00");
            builder.UseSetting("APP_API_TOKEN", AppToken);
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(database);
        }
    }

    [Fact]
    public async Task Without_a_token_every_order_route_is_a_401_problem()
    {
        var anonymous = app.CreateClient();

        var response = await anonymous.PostAsJsonAsync("/orders", new { holdIds = new[] { "h1" } });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        (await anonymous.GetAsync("/orders")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await alice.GetAsync("/admin/orders")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "alice is no admin");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"holdIds":[]}""")]
    [InlineData("""{"holdIds":["a","a"]}""")]
    [InlineData("""{"holdIds":["bad id!"]}""")]
    [InlineData("""{"holdIds":"h1"}""")]
    [InlineData("""not json""")]
    public async Task Malformed_orders_are_400_naming_the_field_and_store_nothing(string body)
    {
        var response = await alice.PostAsync("/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await alice.GetFromJsonAsync<JsonElement>("/orders")).EnumerateArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Too_many_holds_in_one_order_is_a_400_on_holdIds()
    {
        var response = await alice.PostAsJsonAsync("/orders", new { holdIds = Enumerable.Range(0, 21).Select(i => $"h{i}") });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name)
            .Should().Contain("holdIds");
    }

    [Theory]
    [InlineData("GET", "/orders/unknown-order")]
    [InlineData("POST", "/orders/unknown-order/pay")]
    [InlineData("POST", "/orders/unknown-order/cancel")]
    public async Task An_unknown_order_is_a_404(string method, string path)
    {
        (await alice.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_order_id_is_a_400()
    {
        (await alice.GetAsync("/orders/not%20an%20id")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_order_endpoint_with_its_error_responses()
    {
        var document = await alice.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        IEnumerable<string> Responses(string path, string verb) =>
            document.GetProperty("paths").GetProperty(path).GetProperty(verb).GetProperty("responses").EnumerateObject().Select(r => r.Name);

        Responses("/orders", "post").Should().Contain(["201", "400", "401", "409", "422", "503"]);
        Responses("/orders/{orderId}", "get").Should().Contain(["200", "404"]);
        Responses("/orders/{orderId}/pay", "post").Should().Contain(["202", "404", "409"]);
        Responses("/orders/{orderId}/cancel", "post").Should().Contain(["202", "404", "409", "412"]);
    }

    [Fact]
    public async Task Payment_reads_any_order_through_its_sidecar_while_customers_and_other_apps_stay_scoped()
    {
        var orderId = await PlaceAsync("bob", 3, 7_000m);
        HttpRequestMessage Read(string caller, string token) => new(HttpMethod.Get, $"/orders/{orderId}")
        {
            Headers = { { "dapr-caller-app-id", caller }, { "dapr-api-token", token } },
        };

        var asPayment = await app.CreateClient().SendAsync(Read("payment", AppToken));
        asPayment.StatusCode.Should().Be(HttpStatusCode.OK);
        var order = await asPayment.Content.ReadFromJsonAsync<JsonElement>();
        (order.GetProperty("customerId").GetString(), order.GetProperty("amount").GetDecimal(), order.GetProperty("currency").GetString(), order.GetProperty("status").GetString())
            .Should().Be(("bob", 21_000m, "KRW", "pending"));

        (await app.CreateClient().SendAsync(Read("web", AppToken))).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "web is no internal caller of ordering");
        (await app.CreateClient().SendAsync(Read("payment", "forged"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the caller id alone proves nothing");
        (await alice.SendAsync(Read("payment", AppToken))).StatusCode.Should().Be(HttpStatusCode.NotFound, "a user token makes the call that user's");
        (await alice.GetAsync($"/orders/{orderId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.CreateClient().As("bob").GetAsync($"/orders/{orderId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var unknown = Read("payment", AppToken);
        unknown.RequestUri = new Uri("/orders/0123456789abcdef0123456789abcdef", UriKind.Relative);
        (await app.CreateClient().SendAsync(unknown)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<string> PlaceAsync(string customer, int quantity, decimal unitPrice)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Ordering.Infrastructure.OrderingDbContext>();
        var now = DateTimeOffset.UtcNow;
        var order = Ordering.Domain.Order.Place(customer, [(new Ordering.Domain.OrderLine(Guid.NewGuid().ToString("N"), "slot-1", quantity, unitPrice), now.AddMinutes(10))],
            "KRW", null, null, now);
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        return order.Id;
    }
}
