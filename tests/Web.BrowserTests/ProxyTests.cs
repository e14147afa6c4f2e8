using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Web.BrowserTests;

/// <summary>
/// The web app's forwarding, seen as the SPA's fetch calls see it (plain HTTP to the web app, no browser): headers
/// the protocol depends on arrive intact in both directions, and a browser cannot choose what Dapr would trust.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class ProxyTests(ShopSystem shop)
{
    private async Task<HttpRequestMessage> AsAsync(string user, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await shop.TokenAsync(user));
        return request;
    }

    [Fact]
    public async Task ETag_If_Match_and_the_catalogs_cache_header_pass_through_and_a_stale_If_Match_is_a_412_problem()
    {
        var (_, slots) = await shop.SeedAsync($"Proxy {Guid.NewGuid():N}", 7);
        using var read = await shop.Http.GetAsync($"api/catalog/slots/{slots[0]}");
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        read.Headers.ETag!.Tag.Should().Be("\"1\"");
        read.Headers.GetValues("X-Cache").Single().Should().BeOneOf("miss", "hit");
        var slot = await read.Content.ReadFromJsonAsync<JsonElement>();
        var body = new { start = slot.GetProperty("start").GetString(), end = slot.GetProperty("end").GetString(), capacity = 8, price = 25m };

        using var stale = await AsAsync("admin", HttpMethod.Put, $"api/catalog/admin/slots/{slots[0]}", body);
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"9\""));
        using var refused = await shop.Http.SendAsync(stale);
        refused.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        using var fresh = await AsAsync("admin", HttpMethod.Put, $"api/catalog/admin/slots/{slots[0]}", body);
        fresh.Headers.IfMatch.Add(read.Headers.ETag);
        using var updated = await shop.Http.SendAsync(fresh);
        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        updated.Headers.ETag!.Tag.Should().Be("\"2\"");
    }

    [Fact]
    public async Task Authorization_reaches_the_service_which_answers_401_and_403_problems_through_the_proxy()
    {
        using var anonymous = await shop.Http.PostAsJsonAsync("api/catalog/admin/resources", new { kind = "room", name = "x" });
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        anonymous.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        using var customer = await shop.Http.SendAsync(await AsAsync("alice", HttpMethod.Post, "api/catalog/admin/resources", new { kind = "room", name = "x" }));
        customer.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Idempotency_Key_reaches_the_reservation_service_and_a_sold_out_409_carries_the_latest_availability()
    {
        var (_, slots) = await shop.SeedAsync($"Proxy {Guid.NewGuid():N}", 2);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> HoldAsync(int quantity, string? idempotencyKey)
        {
            using var request = await AsAsync("alice", HttpMethod.Post, "api/reservation/holds", new { slotId = slots[0], quantity });
            if (idempotencyKey is not null)
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await shop.Http.SendAsync(request);
        }

        using var first = await HoldAsync(2, key);
        using var replay = await HoldAsync(2, key);
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()
            .Should().Be((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString());

        using var soldOut = await HoldAsync(1, Guid.NewGuid().ToString());
        soldOut.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await soldOut.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("available").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task A_browser_cannot_pose_as_the_ordering_app_to_reach_internal_saga_endpoints()
    {
        var (_, slots) = await shop.SeedAsync($"Proxy {Guid.NewGuid():N}", 2);
        using var placed = await shop.Http.SendAsync(await AsAsync("alice", HttpMethod.Post, "api/reservation/holds", new { slotId = slots[0], quantity = 1 }));
        var holdId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString();

        using var confirm = await AsAsync("alice", HttpMethod.Post, $"api/reservation/holds/{holdId}/confirm");
        confirm.Headers.Add("dapr-caller-app-id", "ordering");
        confirm.Headers.Add("dapr-app-id", "reservation");
        using var refused = await shop.Http.SendAsync(confirm);
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound, "confirm is not public: the edge never forwards it");
        (await shop.AvailabilityAsync(slots[0])).GetProperty("booked").GetInt32().Should().Be(0, "nothing was confirmed");

        using var payment = await shop.Http.GetAsync("api/payment/healthz");
        payment.StatusCode.Should().Be(HttpStatusCode.NotFound, "payment is not forwarded: only the ordering saga calls it");
    }

    [Fact]
    public async Task Retry_After_of_a_busy_service_reaches_the_browser()
    {
        // The catalog down: reservation cannot learn a new slot's capacity and answers 503 with Retry-After.
        var (_, slots) = await shop.SeedAsync($"Proxy {Guid.NewGuid():N}", 2);
        await shop.System.StopAppAsync("catalog");
        try
        {
            using var busy = await shop.Http.SendAsync(await AsAsync("alice", HttpMethod.Post, "api/reservation/holds", new { slotId = slots[0], quantity = 1 }));
            busy.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await busy.Content.ReadAsStringAsync());
            busy.Headers.RetryAfter!.Delta.Should().BePositive();
        }
        finally
        {
            await shop.System.StartAppAsync("catalog");
        }
    }
}
