using System.Net;
using System.Net.Http.Json;
using Catalog.Api;
using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Persistence;
using DaprReservations.Testing;
using Microsoft.EntityFrameworkCore;
using static Catalog.Tests.System.CatalogApi;

namespace Catalog.Tests.System;

public sealed class SlotUpdateRaceTests
{
    [Fact]
    public async Task Twenty_concurrent_updates_with_one_etag_let_exactly_one_win_and_advance_the_version_once()
    {
        const int writers = 20;
        await using var system = await StartAsync(SidecarBackend.Redis);
        var api = AdminApi(system);
        var resource = await CreateResourceAsync(api);
        using var created = await api.PostAsJsonAsync($"admin/resources/{resource.Id}/slots", SlotBody(capacity: 10));
        var slot = (await created.Content.ReadFromJsonAsync<SlotResponse>(DaprReservationsJson.Options))!;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(1, writers).Select(async writer =>
        {
            using var request = Put($"admin/slots/{slot.Id}", SlotBody(capacity: 100 + writer), "\"1\"");
            await gate.Task;
            using var response = await api.SendAsync(request);
            return (response.StatusCode, Capacity: 100 + writer, ETag: response.Headers.ETag?.Tag);
        }).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(racers);

        results.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        results.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(writers - 1);
        var winner = results.Single(r => r.StatusCode == HttpStatusCode.OK);
        winner.ETag.Should().Be("\"2\"");

        // The invariant from the store itself, not from the answers.
        await using var db = new SqliteCatalogDbContext(DesignTimeDbContextOptions.Sqlite<SqliteCatalogDbContext>(
            Path.Combine(system.DataDirectory, DatabaseFile)));
        var stored = await db.Slots.AsNoTracking().SingleAsync(s => s.Id == slot.Id);
        stored.Version.Should().Be(2);
        stored.Capacity.Should().Be(winner.Capacity, "the stored row is the one write that was acknowledged");
    }
}
