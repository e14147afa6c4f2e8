using DaprReservations.BuildingBlocks.Edge;
using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Api;

/// <summary>Public reads. Slots go through the cache (<c>X-Cache: hit|miss</c>); resources straight to SQL.</summary>
public static class CatalogReadEndpoints
{
    public const string CacheHeader = "X-Cache";
    public const int MaxResources = 1000;

    public static IEndpointRouteBuilder MapCatalogReads(this IEndpointRouteBuilder endpoints)
    {
        var reads = endpoints.MapGroup("").WithTags("catalog").ProducesDefaultProblems().PublicAtEdge();

        reads.MapGet("/resources", ListResources).WithName("ListResources");
        reads.MapGet("/resources/{id:guid}", GetResource).WithName("GetResource").ProducesProblems(404);
        reads.MapGet("/resources/{id:guid}/slots", ListSlots).WithName("ListResourceSlots").ProducesProblems(404);
        reads.MapGet("/slots/{id:guid}", GetSlot).WithName("GetSlot").ProducesProblems(404);
        return endpoints;
    }

    private static async Task<Ok<ResourceResponse[]>> ListResources(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var resources = await db.Resources.AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Id)
            .Take(MaxResources).ToListAsync(cancellationToken);
        return TypedResults.Ok(resources.Select(ResourceResponse.From).ToArray());
    }

    private static async Task<Results<Ok<ResourceResponse>, ProblemHttpResult>> GetResource(
        Guid id, CatalogDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var resource = await db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (resource is null)
            return ApiProblems.NotFound($"Resource {id} does not exist.");
        response.Headers.ETag = EntityTags.Format(resource.Version);
        return TypedResults.Ok(ResourceResponse.From(resource));
    }

    private static async Task<Results<Ok<SlotResponse[]>, ProblemHttpResult, ValidationProblem>> ListSlots(
        Guid id, DateTimeOffset? from, DateTimeOffset? to, CatalogDbContext db, SlotCache cache, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (from is { } lower && to is { } upper && upper <= lower)
            return ApiProblems.Validation("to", "'to' must lie after 'from'.");

        var read = await cache.GetOrLoadAsync(SlotCache.ResourceSlotsKey(id), async token =>
        {
            if (!await db.Resources.AnyAsync(r => r.Id == id, token))
                return null;
            var slots = await db.Slots.AsNoTracking().Where(s => s.ResourceId == id).OrderBy(s => s.Start).ToListAsync(token);
            return new ResourceSlotsResponse(id, [.. slots.Select(SlotResponse.From)]);
        }, cancellationToken);

        response.Headers[CacheHeader] = read.Hit ? CatalogMetrics.Hit : CatalogMetrics.Miss;
        if (read.Value is null)
            return ApiProblems.NotFound($"Resource {id} does not exist.");

        // A slot is listed when it overlaps [from, to): the whole list is cached once, the window is cut per request.
        var inWindow = read.Value.Slots
            .Where(slot => (from is null || slot.End > from) && (to is null || slot.Start < to))
            .ToArray();
        return TypedResults.Ok(inWindow);
    }

    private static async Task<Results<Ok<SlotResponse>, ProblemHttpResult>> GetSlot(
        Guid id, CatalogDbContext db, SlotCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var read = await cache.GetOrLoadAsync(SlotCache.SlotKey(id), async token =>
        {
            var slot = await db.Slots.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, token);
            return slot is null ? null : SlotResponse.From(slot);
        }, cancellationToken);

        response.Headers[CacheHeader] = read.Hit ? CatalogMetrics.Hit : CatalogMetrics.Miss;
        if (read.Value is null)
            return ApiProblems.NotFound($"Slot {id} does not exist.");
        response.Headers.ETag = EntityTags.Format(read.Value.Version);
        return TypedResults.Ok(read.Value);
    }
}
