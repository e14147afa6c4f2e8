using LocalSidecar.Hosting;

namespace LocalSidecar.Actors;

/// <summary>Registers and maps the actors building block of one sidecar.</summary>
public static class ActorsFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
    }

    public static void Map(WebApplication app)
    {
    }
}
