using LocalSidecar.Hosting;

namespace LocalSidecar.PubSub;

/// <summary>Registers and maps the pubsub building block of one sidecar.</summary>
public static class PubSubFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
    }

    public static void Map(WebApplication app)
    {
    }
}
