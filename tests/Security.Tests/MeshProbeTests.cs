using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;

namespace Security.Tests;

/// <summary>
/// (c) From inside the mesh, as a compromised pod would: through its own sidecar (with its own DAPR_API_TOKEN) an app
/// may invoke only what components/config/&lt;callee&gt;.yaml allows it and publish only its own topics
/// (components/local/pubsub.yaml). The refusals are daprd's: 403 ERR_DIRECT_INVOKE (PermissionDenied) and
/// 403 ERR_PUBSUB_FORBIDDEN.
/// </summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class MeshProbeTests(SecuritySystem system)
{
    public static TheoryData<string, string, string, string> Invocations => new()
    {
        { AppIds.Web, "GET", AppIds.Payment, "admin/payments" },
        { AppIds.Web, "POST", AppIds.Reservation, "holds/{hold}/confirm" },
        { AppIds.Web, "POST", AppIds.Reservation, "holds/{hold}/revoke" },
        { AppIds.Web, "POST", AppIds.Ordering, "events/payment.succeeded" },
        { AppIds.Web, "GET", AppIds.Ordering, "dapr/subscribe" },
        { AppIds.Catalog, "POST", AppIds.Reservation, "holds/{hold}/confirm" },
        { AppIds.Catalog, "GET", AppIds.Ordering, "orders/{order}" },
        { AppIds.Reservation, "POST", AppIds.Ordering, "orders/{order}/cancel" },
        { AppIds.Payment, "POST", AppIds.Reservation, "holds/{hold}/confirm" },
        { AppIds.Ordering, "GET", AppIds.Web, "config" },
        { DaprSystem.TesterAppId, "GET", AppIds.Catalog, "resources" },
    };

    [Theory]
    [MemberData(nameof(Invocations))]
    public async Task An_app_invoking_what_accessControl_does_not_allow_it_is_refused_by_the_callees_sidecar(
        string caller, string method, string callee, string path)
    {
        var before = await system.SnapshotAsync();
        using var sidecar = Sidecar(caller);

        using var response = await sidecar.SendAsync(new HttpRequestMessage(new HttpMethod(method),
            $"v1.0/invoke/{callee}/method/{path.Replace("{hold}", system.HoldId).Replace("{order}", system.OrderId)}")
        {
            Content = method == "GET" ? null : JsonContent.Create(new { orderId = system.OrderId, amount = 0 }),
            Headers = { Authorization = TestIdentity.Bearer("alice") },
        });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("access control policy has denied access");
        (await system.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task What_accessControl_allows_still_works()
    {
        using var web = Sidecar(AppIds.Web);

        using var response = await web.GetAsync("v1.0/invoke/catalog/method/resources");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_honest_saga_runs_to_confirmed_under_the_same_mesh()
    {
        using var frank = system.Client("frank");
        var slotId = await system.CreateSlotAsync(capacity: 3, daysAhead: 4);
        using var hold = new HttpRequestMessage(HttpMethod.Post, "api/reservation/holds") { Content = JsonContent.Create(new { slotId, quantity = 1 }) };
        hold.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var holdId = (await SecuritySystem.ReadAsync(await frank.SendAsync(hold))).GetProperty("holdId").GetString();
        using var order = new HttpRequestMessage(HttpMethod.Post, "api/ordering/orders") { Content = JsonContent.Create(new { holdIds = new[] { holdId } }) };
        order.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var orderId = (await SecuritySystem.ReadAsync(await frank.SendAsync(order))).GetProperty("id").GetString();

        (await frank.PostAsync($"api/ordering/orders/{orderId}/pay", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await Eventually.Async(async () =>
            (await SecuritySystem.ReadAsync(await frank.GetAsync($"api/ordering/orders/{orderId}"))).GetProperty("status").GetString()
                .Should().Be("confirmed", "ordering → payment → ordering → reservation and the events between them are all allowed"),
            TimeSpan.FromSeconds(60));
        (await SecuritySystem.ReadAsync(await frank.GetAsync($"api/reservation/holds/{holdId}"))).GetProperty("status").GetString().Should().Be("confirmed");
    }

    public static TheoryData<string, string> Publications => new()
    {
        { AppIds.Web, Topics.PaymentSucceeded },
        { AppIds.Ordering, Topics.PaymentSucceeded },
        { AppIds.Catalog, Topics.OrderCancelled },
        { AppIds.Reservation, Topics.PaymentRequested },
        { AppIds.Payment, Topics.OrderConfirmed },
        { AppIds.Web, "anything.else" },
    };

    [Theory]
    [MemberData(nameof(Publications))]
    public async Task An_app_publishing_a_topic_it_does_not_own_is_refused(string publisher, string topic)
    {
        var before = await system.SnapshotAsync();
        using var sidecar = Sidecar(publisher);

        using var response = await sidecar.PostAsJsonAsync($"v1.0/publish/{Components.PubSub}/{topic}",
            new { orderId = system.OrderId, paymentId = "forged", amount = 0m, currency = "KRW" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorCode").GetString()
            .Should().Be("ERR_PUBSUB_FORBIDDEN");
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await system.SnapshotAsync()).Should().Be(before);
    }

    /// <summary>The app's own sidecar, called with the app's own DAPR_API_TOKEN: what code running in that pod can do.</summary>
    private HttpClient Sidecar(string app)
    {
        var endpoint = app == DaprSystem.TesterAppId ? system.System.TesterHttpEndpoint : system.System.Sidecar(app).HttpEndpoint;
        var client = new HttpClient { BaseAddress = new Uri(endpoint.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (app != DaprSystem.TesterAppId)
            client.DefaultRequestHeaders.Add("dapr-api-token", system.System.DaprApiToken(app));
        return client;
    }
}
