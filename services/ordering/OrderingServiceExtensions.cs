using Dapr.Client;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Persistence;
using DaprReservations.BuildingBlocks.Security;
using Ordering.Application;
using Ordering.Infrastructure;

namespace Ordering;

public static class OrderingServiceExtensions
{
    public static IHostApplicationBuilder AddOrdering(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrderingOptions>()
            .BindConfiguration(OrderingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddDefaultAuthentication();
        builder.AddServiceDatabase<OrderingDbContext, SqliteOrderingDbContext, SqlServerOrderingDbContext>("ordering");
        builder.AddOutbox<OrderingDbContext>();

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new ReservationClient(ReservationClient.CreateHttpClient(provider.GetRequiredService<DaprClient>())));
        services.AddSingleton(provider => new PaymentRecords(PaymentRecords.CreateHttpClient(provider.GetRequiredService<DaprClient>())));
        services.AddSingleton(provider => new CatalogPrices(CatalogPrices.CreateHttpClient(provider.GetRequiredService<DaprClient>())));
        services.AddScoped<OrderStore>();
        services.AddScoped<OrderService>();
        services.AddScoped<OrderSaga>();
        services.AddSingleton<OrderSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<OrderSweeper>());
        return builder;
    }
}
