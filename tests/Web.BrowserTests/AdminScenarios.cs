using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Web.BrowserTests;

/// <summary>The catalog admin screen: writes carry the ETag of the GET they started from; a stale one is refused.</summary>
[Collection(ShopCollection.Name)]
public sealed class AdminScenarios(ShopSystem shop)
{
    [Fact]
    public async Task An_admin_creates_and_edits_slots_and_a_stale_edit_is_refused_and_reloaded()
    {
        await using var admin = await shop.OpenAsync("admin", "en-US", phone: false);
        await admin.GoAsync("#/admin");
        var name = $"Studio {Guid.NewGuid().ToString("N")[..6]}";
        await admin.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await admin.Page.GetByTestId("new-resource").GetByRole(AriaRole.Button).ClickAsync();
        var resource = admin.Page.GetByTestId("admin-resource").Filter(new() { HasText = name });
        await resource.GetByTestId("admin-open-slots").ClickAsync();
        await resource.GetByTestId("new-slot-capacity").FillAsync("10");
        await resource.GetByTestId("new-slot").GetByRole(AriaRole.Button).ClickAsync();
        var slotRow = resource.GetByTestId("admin-slot");
        await Expect(slotRow).ToHaveCountAsync(1);
        var slotId = (await slotRow.GetAttributeAsync("data-slot-id"))!;

        await slotRow.GetByTestId("admin-edit").ClickAsync();
        await Expect(slotRow.GetByTestId("edit-etag")).ToHaveTextAsync("\"1\"");
        await slotRow.GetByTestId("edit-capacity").FillAsync("12");
        await slotRow.GetByTestId("admin-save").ClickAsync();
        await Expect(admin.Page.Locator("#status")).ToContainTextAsync("version 2");
        await Expect(slotRow.GetByTestId("edit-etag")).ToHaveTextAsync("\"2\"");

        // Another admin writes first (API, If-Match "2"); this page still holds ETag "2".
        var token = await shop.TokenAsync("admin");
        using (var other = new HttpRequestMessage(HttpMethod.Put, $"api/catalog/admin/slots/{slotId}"))
        {
            var current = await shop.Http.GetFromJsonAsync<JsonElement>($"api/catalog/slots/{slotId}");
            other.Content = JsonContent.Create(new { start = current.GetProperty("start").GetString(), end = current.GetProperty("end").GetString(), capacity = 20, price = 30m });
            other.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            other.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
            using var answer = await shop.Http.SendAsync(other);
            answer.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await slotRow.GetByTestId("edit-capacity").FillAsync("15");
        await slotRow.GetByTestId("admin-save").ClickAsync();
        await Expect(admin.Page.Locator("#status")).ToContainTextAsync("Someone else changed this");
        await Expect(slotRow.GetByTestId("edit-capacity")).ToHaveValueAsync("20");
        await Expect(slotRow.GetByTestId("edit-etag")).ToHaveTextAsync("\"3\"");
        await admin.ShotAsync("09-admin-stale-en");

        await slotRow.GetByTestId("edit-capacity").FillAsync("15");
        await slotRow.GetByTestId("admin-save").ClickAsync();
        await Expect(admin.Page.Locator("#status")).ToContainTextAsync("version 4");
        var stored = await shop.Http.GetFromJsonAsync<JsonElement>($"api/catalog/slots/{slotId}");
        stored.GetProperty("capacity").GetInt32().Should().Be(15);
        stored.GetProperty("version").GetInt64().Should().Be(4);
    }

    [Fact]
    public async Task A_customer_sees_no_admin_screen_and_the_catalog_refuses_their_writes()
    {
        await using var alice = await shop.OpenAsync("alice", "ko-KR");
        await Expect(alice.Page.Locator("#nav-admin")).ToBeHiddenAsync();
        await alice.GoAsync("#/admin");
        await Expect(alice.Page.GetByTestId("admin-only")).ToBeVisibleAsync();
        await alice.ShotAsync("09-admin-only-ko");

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/catalog/admin/resources")
        {
            Content = JsonContent.Create(new { kind = "room", name = "not allowed" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await shop.TokenAsync("alice"));
        using var refused = await shop.Http.SendAsync(request);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
