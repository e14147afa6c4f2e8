using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;
using LocalSidecar.PubSub.Subscriptions;

namespace LocalSidecar.PubSub;

/// <summary>Registers and maps the pubsub building block of one sidecar.</summary>
public static class PubSubFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
        services.AddSingleton<PubSubRegistry>();
        services.AddSingleton<PubSubPublisher>();
        services.AddSingleton<SubscriptionDiscovery>();
        services.AddSingleton<AppDelivery>();
        services.AddSingleton<SubscriberHost>();
        services.AddSingleton<ISubscriptionMetadataSource>(sp => sp.GetRequiredService<SubscriberHost>());
        services.AddHostedService(sp => sp.GetRequiredService<SubscriberHost>());
    }

    public static void Map(WebApplication app) => PubSubEndpoints.Map(app);
}
