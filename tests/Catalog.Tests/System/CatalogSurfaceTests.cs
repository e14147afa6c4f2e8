using System.Net;
using System.Text.Json;
using DaprReservations.Testing;
using static Catalog.Tests.System.CatalogApi;

namespace Catalog.Tests.System;

public sealed class CatalogSurfaceTests
{
    [Fact]
    public async Task OpenApi_documents_every_endpoint_with_its_error_answers_and_readiness_includes_the_database()
    {
        await using var system = await StartAsync(SidecarBackend.Memory);
        var direct = system.Direct(AppId);

        using var document = JsonDocument.Parse(await direct.GetStringAsync("swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");
        string[] Responses(string path, string verb) =>
            [.. paths.GetProperty(path).GetProperty(verb).GetProperty("responses").EnumerateObject().Select(p => p.Name)];

        Responses("/slots/{id}", "get").Should().Contain(["200", "400", "404"]);
        Responses("/resources/{id}/slots", "get").Should().Contain(["200", "400", "404"]);
        Responses("/admin/resources", "post").Should().Contain(["201", "400", "401", "403"]);
        Responses("/admin/resources/{id}/slots", "post").Should().Contain(["201", "400", "404"]);
        foreach (var (path, verb) in new[] { ("/admin/slots/{id}", "put"), ("/admin/slots/{id}", "delete"), ("/admin/resources/{id}", "put") })
            Responses(path, verb).Should().Contain(["400", "404", "412", "428"], $"{verb} {path} needs If-Match");

        using var ready = await direct.GetAsync("readyz");
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        ready.StatusCode.Should().Be(HttpStatusCode.OK, report.ToString());
        report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Contain(["database", "dapr-sidecar"]);
    }
}
