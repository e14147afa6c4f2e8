using System.Net.Http.Headers;
using System.Net.Http.Json;
using Catalog.Api;
using DaprReservations.BuildingBlocks;
using DaprReservations.Testing;

namespace Catalog.Tests.System;

/// <summary>Starts the catalog as a process behind its sidecar, with its SQLite file in the system's data folder.</summary>
public static class CatalogApi
{
    public const string AppId = "catalog";
    public const string DatabaseFile = "catalog.db";

    public static Task<DaprSystem> StartAsync(SidecarBackend backend) =>
        DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = backend,
            Apps =
            [
                new AppSpec(AppId, "services/catalog", "Catalog.dll", Env: new()
                {
                    ["ConnectionStrings__catalog"] = $"Data Source={{data}}/{DatabaseFile}",
                }),
            ],
        });

    /// <summary>The catalog through the tester's sidecar, every request signed in as an admin.</summary>
    public static HttpClient AdminApi(DaprSystem system) => system.Invoke(AppId, TestIdentity.Admin, admin: true);

    public static async Task<ResourceResponse> CreateResourceAsync(HttpClient api, string name = "Main hall")
    {
        using var response = await api.PostAsJsonAsync("admin/resources", new { kind = "room", name, description = "test" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ResourceResponse>(DaprReservationsJson.Options))!;
    }

    public static object SlotBody(int capacity, decimal price = 10m, int daysAhead = 3) => new
    {
        start = DateTimeOffset.UtcNow.Date.AddDays(daysAhead).AddHours(18),
        end = DateTimeOffset.UtcNow.Date.AddDays(daysAhead).AddHours(20),
        capacity,
        price,
    };

    public static HttpRequestMessage Put(string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        return request;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
