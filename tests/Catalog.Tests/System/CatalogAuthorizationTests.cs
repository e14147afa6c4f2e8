using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Api;
using DaprReservations.BuildingBlocks;
using DaprReservations.Testing;
using static Catalog.Tests.System.CatalogApi;

namespace Catalog.Tests.System;

public sealed class CatalogAuthorizationTests
{
    [Fact]
    public async Task Reads_are_anonymous_admin_writes_need_the_admin_role_and_a_refused_write_changes_nothing()
    {
        await using var system = await StartAsync(SidecarBackend.Memory);
        var admin = AdminApi(system);
        var anonymous = system.Invoke(AppId);
        var customer = system.Invoke(AppId, "alice");
        var resource = await CreateResourceAsync(admin);
        using var created = await admin.PostAsJsonAsync($"admin/resources/{resource.Id}/slots", SlotBody(capacity: 10));
        var slot = (await created.Content.ReadFromJsonAsync<SlotResponse>(DaprReservationsJson.Options))!;

        (await anonymous.GetAsync("resources")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync($"resources/{resource.Id}/slots")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync($"slots/{slot.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var noToken = await anonymous.SendAsync(Put($"admin/slots/{slot.Id}", SlotBody(capacity: 99), "\"1\""));
        await ShouldBeProblemAsync(noToken, HttpStatusCode.Unauthorized);
        using var notAdmin = await customer.SendAsync(Put($"admin/slots/{slot.Id}", SlotBody(capacity: 99), "\"1\""));
        await ShouldBeProblemAsync(notAdmin, HttpStatusCode.Forbidden);
        using var createAsCustomer = await customer.PostAsJsonAsync("admin/resources", new { kind = "room", name = "sneaky" });
        await ShouldBeProblemAsync(createAsCustomer, HttpStatusCode.Forbidden);
        using var forged = system.Invoke(AppId);
        forged.DefaultRequestHeaders.Authorization = new("Bearer",
            TestIdentity.Mint(new TokenShape(TestIdentity.Admin, Roles: ["admin"], Key: TestIdentity.ForeignKey())));
        using var forgedWrite = await forged.SendAsync(Put($"admin/slots/{slot.Id}", SlotBody(capacity: 99), "\"1\""));
        await ShouldBeProblemAsync(forgedWrite, HttpStatusCode.Unauthorized);

        // The refusals changed nothing: the slot is still version 1 with its capacity, and no resource was added.
        var stored = await anonymous.GetFromJsonAsync<SlotResponse>($"slots/{slot.Id}", DaprReservationsJson.Options);
        stored!.Version.Should().Be(1);
        stored.Capacity.Should().Be(10);
        (await anonymous.GetFromJsonAsync<ResourceResponse[]>("resources", DaprReservationsJson.Options))
            .Should().NotContain(r => r.Name == "sneaky");
    }

    [Fact]
    public async Task The_catalog_refuses_to_start_without_an_issuer_to_trust()
    {
        var start = () => DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Memory,
            StartTimeout = TimeSpan.FromSeconds(30),
            Apps = [new AppSpec(AppId, "services/catalog", "Catalog.dll", Env: new()
            {
                ["ConnectionStrings__catalog"] = $"Data Source={{data}}/{DatabaseFile}",
                // DaprSystem gives every app the test authority; an empty value is no issuer at all.
                ["Auth__Authority"] = "",
            })],
        });

        (await start.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*Auth:Authority*");
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
        JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32().Should().Be((int)status);
    }
}
