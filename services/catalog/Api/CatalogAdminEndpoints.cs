using DaprReservations.BuildingBlocks.Edge;
using Catalog.Domain;
using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Api;

/// <summary>
/// Admin writes, all in one route group. Updates and deletes need <c>If-Match</c>; the SQL concurrency token makes
/// the final call, so two admins racing on one ETag cannot both win.
/// </summary>
public static class CatalogAdminEndpoints
{
    public const string Prefix = "/admin";

    public static RouteGroupBuilder MapCatalogAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(Prefix).WithTags("admin").ProducesDefaultProblems().PublicAtEdge();
        RequireAdmin(admin);

        admin.MapPost("/resources", CreateResource).WithName("CreateResource");
        admin.MapPut("/resources/{id:guid}", UpdateResource).WithName("UpdateResource").ProducesProblems(404, 412, 428);
        admin.MapPost("/resources/{id:guid}/slots", CreateSlot).WithName("CreateSlot").ProducesProblems(404);
        admin.MapPut("/slots/{id:guid}", UpdateSlot).WithName("UpdateSlot").ProducesProblems(404, 412, 428);
        admin.MapDelete("/slots/{id:guid}", DeleteSlot).WithName("DeleteSlot").ProducesProblems(404, 412, 428);
        return admin;
    }

    /// <summary>
    /// The one place admin authorization is decided for every write: no token → 401, a token without the
    /// <c>admin</c> role → 403 (both problem documents). Reads stay anonymous.
    /// </summary>
    private static void RequireAdmin(RouteGroupBuilder group) =>
        group.RequireAuthorization(Policies.Admin).ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    private static async Task<Results<Created<ResourceResponse>, ValidationProblem>> CreateResource(
        ResourceRequest request, CatalogDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = Resource.Create(Guid.CreateVersion7(), request.ToSpec());
        if (outcome.Value is not { } resource)
            return ApiProblems.Validation(outcome.Errors.ToDictionary());

        db.Resources.Add(resource);
        await db.SaveChangesAsync(cancellationToken);
        response.Headers.ETag = EntityTags.Format(resource.Version);
        return TypedResults.Created($"/resources/{resource.Id}", ResourceResponse.From(resource));
    }

    private static async Task<Results<Ok<ResourceResponse>, ValidationProblem, ProblemHttpResult>> UpdateResource(
        Guid id, ResourceRequest request, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch,
        CatalogDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (EntityTags.ParseIfMatch(ifMatch) is not { } precondition)
            return EntityTags.Required();
        var resource = await db.Resources.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (resource is null)
            return ApiProblems.NotFound($"Resource {id} does not exist.");
        if (!precondition.Matches(resource.Version))
            return EntityTags.Stale($"Resource {id}", resource.Version);

        var errors = resource.Update(request.ToSpec());
        if (!errors.IsEmpty)
            return ApiProblems.Validation(errors.ToDictionary());
        if (!await TrySaveAsync(db, cancellationToken))
            return EntityTags.Stale($"Resource {id}", await CurrentVersionAsync(db.Resources, r => r.Id == id, r => r.Version));

        response.Headers.ETag = EntityTags.Format(resource.Version);
        return TypedResults.Ok(ResourceResponse.From(resource));
    }

    private static async Task<Results<Created<SlotResponse>, ValidationProblem, ProblemHttpResult>> CreateSlot(
        Guid id, SlotRequest request, CatalogDbContext db, SlotChangeNotifier notifier, TimeProvider clock,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = Slot.Create(Guid.CreateVersion7(), id, request.ToSpec(), clock.GetUtcNow());
        if (outcome.Value is not { } slot)
            return ApiProblems.Validation(outcome.Errors.ToDictionary());
        if (!await db.Resources.AnyAsync(r => r.Id == id, cancellationToken))
            return ApiProblems.NotFound($"Resource {id} does not exist.");

        db.Slots.Add(slot);
        await db.SaveChangesAsync(cancellationToken);
        await notifier.SlotChangedAsync(slot, deleted: false, cancellationToken);
        response.Headers.ETag = EntityTags.Format(slot.Version);
        return TypedResults.Created($"/slots/{slot.Id}", SlotResponse.From(slot));
    }

    private static async Task<Results<Ok<SlotResponse>, ValidationProblem, ProblemHttpResult>> UpdateSlot(
        Guid id, SlotRequest request, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch,
        CatalogDbContext db, SlotChangeNotifier notifier, TimeProvider clock, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (EntityTags.ParseIfMatch(ifMatch) is not { } precondition)
            return EntityTags.Required();
        var slot = await db.Slots.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (slot is null)
            return ApiProblems.NotFound($"Slot {id} does not exist.");
        if (!precondition.Matches(slot.Version))
            return EntityTags.Stale($"Slot {id}", slot.Version);

        var errors = slot.Update(request.ToSpec(), clock.GetUtcNow());
        if (!errors.IsEmpty)
            return ApiProblems.Validation(errors.ToDictionary());
        if (!await TrySaveAsync(db, cancellationToken))
            return EntityTags.Stale($"Slot {id}", await CurrentVersionAsync(db.Slots, s => s.Id == id, s => s.Version));

        await notifier.SlotChangedAsync(slot, deleted: false, cancellationToken);
        response.Headers.ETag = EntityTags.Format(slot.Version);
        return TypedResults.Ok(SlotResponse.From(slot));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSlot(
        Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, CatalogDbContext db,
        SlotChangeNotifier notifier, CancellationToken cancellationToken)
    {
        if (EntityTags.ParseIfMatch(ifMatch) is not { } precondition)
            return EntityTags.Required();
        var slot = await db.Slots.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (slot is null)
            return ApiProblems.NotFound($"Slot {id} does not exist.");
        if (!precondition.Matches(slot.Version))
            return EntityTags.Stale($"Slot {id}", slot.Version);

        db.Slots.Remove(slot);
        if (!await TrySaveAsync(db, cancellationToken))
            return EntityTags.Stale($"Slot {id}", await CurrentVersionAsync(db.Slots, s => s.Id == id, s => s.Version));

        await notifier.SlotChangedAsync(slot, deleted: true, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>False when the conditional UPDATE/DELETE matched no row: someone else wrote first.</summary>
    private static async Task<bool> TrySaveAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static async Task<long> CurrentVersionAsync<T>(
        IQueryable<T> rows, System.Linq.Expressions.Expression<Func<T, bool>> match,
        System.Linq.Expressions.Expression<Func<T, long>> version)
        where T : class =>
        await rows.AsNoTracking().Where(match).Select(version).FirstOrDefaultAsync();
}
