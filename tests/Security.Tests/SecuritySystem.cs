using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;

namespace Security.Tests;

/// <summary>
/// The whole system as processes with local sidecars over real Redis, and a little of everything in it for the
/// probes to aim at: a resource and slot, an active hold of alice's, and alice's pending order over a second hold.
/// Probes fill route parameters with these ids, so a probe that got through would change something visible.
/// </summary>
public sealed class SecuritySystem : IAsyncLifetime
{
    public DaprSystem System { get; private set; } = null!;

    /// <summary>The web app's address: what a browser (or the ingress) talks to.</summary>
    public Uri Edge { get; private set; } = null!;

    public string ResourceId { get; private set; } = "";

    public string SlotId { get; private set; } = "";

    public string HoldId { get; private set; } = "";

    public string OrderId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        System = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            // The accessControl and topic scopes of local runs and AKS: probes see production's refusals.
            WithRepoMesh = true,
            Apps =
            [
                new AppSpec("web", "services/web", "Web.dll", Env: new()
                {
                    // Hundreds of probes come from one address; the rate limit has its own tests.
                    ["Edge__RateLimit__TokenLimit"] = "100000",
                    ["Edge__RateLimit__TokensPerPeriod"] = "100000",
                }),
                new AppSpec("catalog", "services/catalog", "Catalog.dll", Env: new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", Env: new()
                {
                    ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
                    ["Reservation__HoldTtl"] = "00:30:00",
                }),
                new AppSpec("ordering", "services/ordering", "Ordering.dll", Env: new() { ["ConnectionStrings__ordering"] = "Data Source={data}/ordering.db" }),
                new AppSpec("payment", "services/payment", "Payment.dll", Env: new() { ["ConnectionStrings__payment"] = "Data Source={data}/payment.db" }),
            ],
        });
        Edge = System.Direct("web").BaseAddress!;

        using var admin = Client("admin", admin: true);
        var resource = await ReadAsync(await admin.PostAsJsonAsync("api/catalog/admin/resources", new { kind = "room", name = "Probe room " + Guid.NewGuid().ToString("N")[..6] }));
        ResourceId = resource.GetProperty("id").GetString()!;
        SlotId = await CreateSlotAsync(capacity: 5, daysAhead: 2);

        using var alice = Client("alice");
        HoldId = (await HoldAsync(alice, SlotId)).GetProperty("holdId").GetString()!;
        var ordered = (await HoldAsync(alice, SlotId)).GetProperty("holdId").GetString()!;
        using var order = new HttpRequestMessage(HttpMethod.Post, "api/ordering/orders") { Content = JsonContent.Create(new { holdIds = new[] { ordered } }) };
        order.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        OrderId = (await ReadAsync(await alice.SendAsync(order))).GetProperty("id").GetString()!;
    }

    /// <summary>A fresh slot of the probe resource, created through the edge as the admin.</summary>
    public async Task<string> CreateSlotAsync(int capacity, int daysAhead)
    {
        using var admin = Client("admin", admin: true);
        var start = DateTimeOffset.UtcNow.Date.AddDays(daysAhead).AddHours(Random.Shared.Next(0, 20));
        var slot = await ReadAsync(await admin.PostAsJsonAsync($"api/catalog/admin/resources/{ResourceId}/slots",
            new { start, end = start.AddMinutes(30), capacity, price = 10000m }));
        return slot.GetProperty("id").GetString()!;
    }

    /// <summary>An HttpClient on the edge, signed in as <paramref name="subject"/> (or anonymous when null).</summary>
    public HttpClient Client(string? subject, bool admin = false)
    {
        var client = new HttpClient { BaseAddress = Edge, Timeout = TimeSpan.FromSeconds(60) };
        return subject is null ? client : client.As(subject, admin);
    }

    /// <summary>What the system holds for the seeded ids, read as their owners would (to compare before and after).</summary>
    public async Task<string> SnapshotAsync()
    {
        using var alice = Client("alice");
        var hold = await ReadAsync(await alice.GetAsync($"api/reservation/holds/{HoldId}"));
        var order = await ReadAsync(await alice.GetAsync($"api/ordering/orders/{OrderId}"));
        var availability = await ReadAsync(await alice.GetAsync($"api/reservation/slots/{SlotId}/availability"));
        using var admin = Client("admin", admin: true);
        var slot = await ReadAsync(await admin.GetAsync($"api/catalog/slots/{SlotId}"));
        var payments = await System.Direct("payment").As("admin", admin: true).GetStringAsync("admin/payments");
        return string.Join('\n',
            $"hold {hold.GetProperty("status")} {hold.GetProperty("quantity")}",
            $"order {order.GetProperty("status")}",
            $"availability booked={availability.GetProperty("booked")} held={availability.GetProperty("held")} available={availability.GetProperty("available")}",
            $"slot capacity={slot.GetProperty("capacity")} price={slot.GetProperty("price")}",
            $"payments {payments}");
    }

    private static async Task<JsonElement> HoldAsync(HttpClient client, string slotId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/reservation/holds") { Content = JsonContent.Create(new { slotId, quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await ReadAsync(await client.SendAsync(request));
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    public async Task DisposeAsync() => await System.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SecuritySystemCollection : ICollectionFixture<SecuritySystem>
{
    public const string Name = "security system";
}
