using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Api;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;
using static Catalog.Tests.System.CatalogApi;

namespace Catalog.Tests.System;

public sealed class CatalogLifecycleTests
{
    [Theory]
    [InlineData(SidecarBackend.Redis)]
    [InlineData(SidecarBackend.Memory)]
    public async Task A_slot_is_created_read_through_the_cache_updated_with_its_etag_and_deleted(SidecarBackend backend)
    {
        await using var system = await StartAsync(backend);
        var api = AdminApi(system);
        var resource = await CreateResourceAsync(api);

        // create → 201 + Location + ETag "1"
        using var created = await api.PostAsJsonAsync($"admin/resources/{resource.Id}/slots", SlotBody(capacity: 40));
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        created.Headers.ETag!.Tag.Should().Be("\"1\"");
        var slot = (await created.Content.ReadFromJsonAsync<SlotResponse>(DaprReservationsJson.Options))!;
        created.Headers.Location!.OriginalString.Should().Be($"/slots/{slot.Id}");

        // read → miss, then hit, same body and ETag
        using var first = await api.GetAsync($"slots/{slot.Id}");
        Header(first, "X-Cache").Should().Be("miss");
        using var second = await api.GetAsync($"slots/{slot.Id}");
        Header(second, "X-Cache").Should().Be("hit");
        second.Headers.ETag!.Tag.Should().Be("\"1\"");
        (await second.Content.ReadFromJsonAsync<SlotResponse>(DaprReservationsJson.Options)).Should().Be(slot);
        (await api.GetFromJsonAsync<SlotResponse[]>($"resources/{resource.Id}/slots", DaprReservationsJson.Options))
            .Should().ContainSingle(s => s.Id == slot.Id);

        // update with the current ETag → 200 + new ETag; the next read is a miss carrying the new value
        using var updated = await api.SendAsync(Put($"admin/slots/{slot.Id}", SlotBody(capacity: 55, price: 12.5m), "\"1\""));
        updated.StatusCode.Should().Be(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        updated.Headers.ETag!.Tag.Should().Be("\"2\"");
        using var afterUpdate = await api.GetAsync($"slots/{slot.Id}");
        Header(afterUpdate, "X-Cache").Should().Be("miss");
        var fresh = (await afterUpdate.Content.ReadFromJsonAsync<SlotResponse>(DaprReservationsJson.Options))!;
        fresh.Capacity.Should().Be(55);
        fresh.Price.Should().Be(12.5m);
        fresh.Version.Should().Be(2);
        var listed = await api.GetFromJsonAsync<SlotResponse[]>($"resources/{resource.Id}/slots", DaprReservationsJson.Options);
        listed!.Single(s => s.Id == slot.Id).Capacity.Should().Be(55, "the slot list was invalidated too");

        // stale If-Match → 412; missing → 428
        using var stale = await api.SendAsync(Put($"admin/slots/{slot.Id}", SlotBody(capacity: 60), "\"1\""));
        await ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        using var missing = await api.SendAsync(Put($"admin/slots/{slot.Id}", SlotBody(capacity: 60), ifMatch: null));
        await ShouldBeProblemAsync(missing, (HttpStatusCode)428);

        // delete with the current ETag → 204, then 404
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"admin/slots/{slot.Id}");
        delete.Headers.IfMatch.Add(new("\"2\""));
        using var deleted = await api.SendAsync(delete);
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var gone = await api.GetAsync($"slots/{slot.Id}");
        await ShouldBeProblemAsync(gone, HttpStatusCode.NotFound);
        (await api.GetFromJsonAsync<SlotResponse[]>($"resources/{resource.Id}/slots", DaprReservationsJson.Options))
            .Should().BeEmpty();
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_each_field_and_unknown_ids_are_404()
    {
        await using var system = await StartAsync(SidecarBackend.Redis);
        var api = AdminApi(system);
        var resource = await CreateResourceAsync(api);

        using var badSlot = await api.PostAsJsonAsync($"admin/resources/{resource.Id}/slots", new
        {
            start = DateTimeOffset.UtcNow.AddDays(2),
            end = DateTimeOffset.UtcNow.AddDays(1),
            capacity = 0,
            price = -1,
        });
        var errors = await ValidationErrorsAsync(badSlot);
        errors.Should().ContainKeys("end", "capacity", "price");

        using var badResource = await api.PostAsJsonAsync("admin/resources", new { kind = "spaceship", name = "" });
        (await ValidationErrorsAsync(badResource)).Should().ContainKeys("kind", "name");

        using var malformed = await api.PostAsync("admin/resources",
            new StringContent("{\"kind\": \"room\", \"name\": ", global::System.Text.Encoding.UTF8, "application/json"));
        await ShouldBeProblemAsync(malformed, HttpStatusCode.BadRequest);

        using var badWindow = await api.GetAsync($"resources/{resource.Id}/slots?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z");
        (await ValidationErrorsAsync(badWindow)).Should().ContainKey("to");

        var unknown = Guid.NewGuid();
        foreach (var path in new[] { $"slots/{unknown}", $"resources/{unknown}", $"resources/{unknown}/slots" })
        {
            using var response = await api.GetAsync(path);
            await ShouldBeProblemAsync(response, HttpStatusCode.NotFound);
        }
        using var slotOnUnknown = await api.PostAsJsonAsync($"admin/resources/{unknown}/slots", SlotBody(capacity: 5));
        await ShouldBeProblemAsync(slotOnUnknown, HttpStatusCode.NotFound);
        using var putUnknown = await api.SendAsync(Put($"admin/slots/{unknown}", SlotBody(capacity: 5), "\"1\""));
        await ShouldBeProblemAsync(putUnknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_slot_changed_event_from_any_writer_evicts_the_cached_slot()
    {
        await using var system = await StartAsync(SidecarBackend.Redis);
        var api = AdminApi(system);
        var resource = await CreateResourceAsync(api);
        using var created = await api.PostAsJsonAsync($"admin/resources/{resource.Id}/slots", SlotBody(capacity: 8));
        var slot = (await created.Content.ReadFromJsonAsync<SlotResponse>(DaprReservationsJson.Options))!;
        // The creation's own slot-changed event may arrive after the first read and evict it once: read until cached.
        await Eventually.Async(async () =>
        {
            using var hit = await api.GetAsync($"slots/{slot.Id}");
            Header(hit, "X-Cache").Should().Be("hit");
        }, TimeSpan.FromSeconds(10));

        // Delivered twice on purpose: the second delivery must be as harmless as the first.
        var change = new SlotChangedEvent(slot.Id, resource.Id, slot.Capacity, slot.Version, Deleted: false);
        await system.Dapr.PublishEventAsync(Components.PubSub, Topics.SlotChanged, change);
        await system.Dapr.PublishEventAsync(Components.PubSub, Topics.SlotChanged, change);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? cacheResult;
        do
        {
            await Task.Delay(100);
            using var read = await api.GetAsync($"slots/{slot.Id}");
            read.StatusCode.Should().Be(HttpStatusCode.OK);
            cacheResult = Header(read, "X-Cache");
        }
        while (cacheResult == "hit" && DateTime.UtcNow < deadline);

        cacheResult.Should().Be("miss", "the subscription evicted the entry");
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
        JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32().Should().Be((int)status);
    }

    private static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }
}
