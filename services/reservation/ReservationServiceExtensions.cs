using Dapr.Client;
using DaprReservations.BuildingBlocks.Persistence;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Security;
using Reservation.Application;
using Reservation.Infrastructure.Actors;
using Reservation.Infrastructure.Catalog;
using Reservation.Infrastructure.Ledger;
using Reservation.Infrastructure.State;

namespace Reservation;

public static class ReservationServiceExtensions
{
    public static IHostApplicationBuilder AddReservation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReservationOptions>()
            .BindConfiguration(ReservationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ReservationLimits>()
            .BindConfiguration(ReservationLimits.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddDefaultAuthentication();
        builder.AddServiceDatabase<ReservationDbContext, SqliteReservationDbContext, SqlServerReservationDbContext>("reservation");

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SlotStoreStats>();
        services.AddScoped<BookingLedger>();
        services.AddSingleton(provider => new CatalogClient(CatalogClient.CreateHttpClient(provider.GetRequiredService<DaprClient>())));
        services.AddSingleton<ISlotSeeder, LedgerSlotSeeder>();
        services.AddSingleton<SlotDirectory>();
        services.AddSingleton<CustomerHoldLedger>();

        // Strategy is configuration: the domain and the API never know which one runs.
        var strategy = builder.Configuration[$"{ReservationOptions.SectionName}:Strategy"] ?? "etag";
        switch (strategy)
        {
            case "lock":
                services.AddSingleton<ISlotWriteStrategy, LockSlotWriteStrategy>();
                break;
            case "actor":
                services.AddActors(actors =>
                {
                    actors.Actors.RegisterActor<SlotActor>();
                    actors.JsonSerializerOptions = DaprReservationsJson.Options;
                });
                services.AddSingleton<ActorSlotStore>();
                break;
            default:
                services.AddSingleton<ISlotWriteStrategy, EtagSlotWriteStrategy>();
                break;
        }

        if (strategy != "actor")
            services.AddSingleton<CoalescingSlotStore>();
        // Unknown slot ids stop in front of the store, whichever strategy runs behind it; every hold a write pruned is
        // announced once, on the way out (Application/ExpiryAnnouncingSlotStore.cs).
        services.AddSingleton<ISlotStore>(provider => new ExpiryAnnouncingSlotStore(
            new KnownSlotStore(
                strategy == "actor" ? provider.GetRequiredService<ActorSlotStore>() : provider.GetRequiredService<CoalescingSlotStore>(),
                provider.GetRequiredService<SlotDirectory>()),
            provider.GetRequiredService<HoldEvents>()));
        services.AddSingleton<HoldEvents>();
        services.AddSingleton<IHoldIndex, DaprHoldIndex>();
        services.AddSingleton<HoldService>();
        services.AddHttpContextAccessor();
        services.AddScoped<Api.HoldAccess>();
        services.AddSingleton<ISweepClaims, DaprSweepClaims>();
        services.AddSingleton<SlotMaintenance>();
        services.AddHostedService<HoldSweeper>();
        return builder;
    }

    /// <summary>The actor endpoints (/dapr/config, /actors/...) exist only when the actor strategy runs.</summary>
    public static WebApplication MapReservationActors(this WebApplication app)
    {
        if (app.Configuration[$"{ReservationOptions.SectionName}:Strategy"] == "actor")
            app.MapActorsHandlers();
        return app;
    }
}
