using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fuzz.Generators;

namespace Fuzz.Run;

/// <summary>
/// A small catalog through the admin API, and the owner's things in each state a request can meet: an active hold,
/// a hold in a pending order, and a confirmed (paid) order with its captured payment. Their ids feed the generators.
/// </summary>
public sealed class Seeder(SystemUnderTest system, Credentials credentials, TextWriter log)
{
    public async Task<IdPool> SeedAsync(CancellationToken cancel)
    {
        using var catalog = Client("catalog", credentials.AdminToken);
        using var reservation = Client("reservation", credentials.OwnerToken);
        using var ordering = Client("ordering", credentials.OwnerToken);
        var ids = new IdPool();
        var tag = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var day = DateTimeOffset.UtcNow.Date.AddDays(20);
        foreach (var (kind, index) in new[] { ("event", 0), ("room", 1) })
        {
            var resource = await PostAsync(catalog, "admin/resources", new { kind, name = $"fuzz {kind} {tag}", description = "seeded by the fuzzer" }, cancel);
            var resourceId = resource.GetProperty("id").GetString()!;
            ids.Add(IdPool.Resources, resourceId);
            for (var s = 0; s < 2; s++)
            {
                var start = day.AddDays(index).AddHours(10 + s * 2);
                var slot = await PostAsync(catalog, $"admin/resources/{resourceId}/slots",
                    new { start, end = start.AddHours(1), capacity = 5, price = 25m }, cancel);
                ids.Add(IdPool.Slots, slot.GetProperty("id").GetString()!);
            }
        }

        log.WriteLine("seeding: catalog done; holds and orders ...");
        var slotId = ids.Real(IdPool.Slots)[0];
        var holds = new List<string>();
        for (var h = 0; h < 3; h++)
            holds.Add((await PostAsync(reservation, "holds", new { slotId, quantity = 1 }, cancel)).GetProperty("holdId").GetString()!);
        holds.ForEach(h => ids.Add(IdPool.Holds, h));

        var pending = await PostAsync(ordering, "orders", new { holdIds = new[] { holds[1] } }, cancel);
        ids.Add(IdPool.Orders, pending.GetProperty("id").GetString()!);
        var paid = await PostAsync(ordering, "orders", new { holdIds = new[] { holds[2] } }, cancel);
        var paidId = paid.GetProperty("id").GetString()!;
        ids.Add(IdPool.Orders, paidId);
        log.WriteLine("seeding: orders placed; paying one and waiting for the saga ...");
        using (var pay = await ordering.PostAsync($"orders/{paidId}/pay", content: null, cancel))
            pay.EnsureSuccessStatusCode();
        var status = await WaitTerminalAsync(ordering, paidId, cancel);
        log.WriteLine($"seeded: 2 resources, 4 slots, 3 holds, 2 orders (pending; paid → {status}) for '{Credentials.Owner}'");
        return ids;
    }

    private HttpClient Client(string app, string token)
    {
        var client = new HttpClient { BaseAddress = system.Direct[app], Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await client.SendAsync(request, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"seeding POST {client.BaseAddress}{path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The paid order settles asynchronously (saga through pub/sub); the snapshot must not race it.</summary>
    private static async Task<string> WaitTerminalAsync(HttpClient ordering, string orderId, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var status = "";
        while (DateTime.UtcNow < deadline)
        {
            var order = await ordering.GetFromJsonAsync<JsonElement>($"orders/{orderId}", cancel);
            status = order.GetProperty("status").GetString() ?? "";
            if (status is "confirmed" or "failed" or "cancelled" or "expired")
                return status;
            await Task.Delay(250, cancel);
        }

        throw new TimeoutException($"the seeded order {orderId} did not settle within 90 s (last status '{status}')");
    }
}
