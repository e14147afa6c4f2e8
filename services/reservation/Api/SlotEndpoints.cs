using DaprReservations.BuildingBlocks.Edge;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using Reservation.Application;
using Reservation.Infrastructure.State;

namespace Reservation.Api;

public static class SlotEndpoints
{
    public static IEndpointRouteBuilder MapSlotEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/slots").WithTags("Slots").ProducesDefaultProblems().PublicAtEdge()
            .MapGet("/{slotId}/availability", AvailabilityAsync)
            .Produces<AvailabilityResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Capacity, booked, held and available now, with the slot state's ETag.");

        var admin = app.MapGroup("/admin").WithTags("Admin").ProducesDefaultProblems().PublicAtEdge()
            .RequireAuthorization(Policies.Admin)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        admin.MapPost("/slots/{slotId}/reconcile", ReconcileAsync)
            .Produces<AvailabilityResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Rebuild the slot's hot state from the SQL ledger and the catalog's capacity.");
        admin.MapPost("/sweep", async (SlotMaintenance maintenance, CancellationToken ct) =>
                TypedResults.Ok(new { touched = await maintenance.SweepAsync(ct) }))
            .WithSummary("Run one expiry sweep now (the sweeper also runs on its interval).");
        admin.MapGet("/stats", (SlotStoreStats stats) => TypedResults.Ok(stats.Snapshot()))
            .WithSummary("Slot-store counters of this instance: writes, conflicts, busy locks, batches.");
        return app;
    }

    private static async Task<IResult> AvailabilityAsync(string slotId, SlotMaintenance maintenance, HttpContext http, CancellationToken ct)
    {
        if (!Validation.IsId(slotId))
            return ApiProblems.Validation("slotId", "Not a slot id.");
        return await Guard.RunAsync(async () =>
        {
            var (availability, etag) = await maintenance.AvailabilityAsync(slotId, ct);
            if (!string.IsNullOrEmpty(etag))
                http.Response.Headers.ETag = $"\"{etag}\"";
            return TypedResults.Ok(From(slotId, availability));
        });
    }

    private static async Task<IResult> ReconcileAsync(string slotId, SlotMaintenance maintenance, CancellationToken ct)
    {
        if (!Validation.IsId(slotId))
            return ApiProblems.Validation("slotId", "Not a slot id.");
        return await Guard.RunAsync(async () => TypedResults.Ok(From(slotId, await maintenance.ReconcileAsync(slotId, ct))));
    }

    private static AvailabilityResponse From(string slotId, Availability a) =>
        new(slotId, a.Capacity, a.Booked, a.Held, a.Available);
}
