using Dapr.Client;
using DaprReservations.BuildingBlocks.Persistence;
using Reservation.Application;
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
        builder.AddServiceDatabase<ReservationDbContext, SqliteReservationDbContext, SqlServerReservationDbContext>("reservation");

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SlotStoreStats>();
        services.AddScoped<BookingLedger>();
        services.AddSingleton(provider => new CatalogClient(CatalogClient.CreateHttpClient(provider.GetRequiredService<DaprClient>())));
        services.AddSingleton<ISlotSeeder, LedgerSlotSeeder>();

        // Strategy is configuration: the domain and the API never know which one runs.
        var strategy = builder.Configuration[$"{ReservationOptions.SectionName}:Strategy"] ?? "etag";
        switch (strategy)
        {
            case "lock":
                services.AddSingleton<ISlotWriteStrategy, LockSlotWriteStrategy>();
                break;
            case "actor":
                throw new NotSupportedException("Reservation:Strategy 'actor' is not built yet.");
            default:
                services.AddSingleton<ISlotWriteStrategy, EtagSlotWriteStrategy>();
                break;
        }

        services.AddSingleton<ISlotStore, CoalescingSlotStore>();
        services.AddSingleton<HoldEvents>();
        services.AddSingleton<HoldService>();
        services.AddSingleton<SlotMaintenance>();
        services.AddHostedService<HoldSweeper>();
        return builder;
    }
}
