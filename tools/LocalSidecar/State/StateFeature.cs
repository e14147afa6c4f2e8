using LocalSidecar.Hosting;

namespace LocalSidecar.State;

/// <summary>Registers and maps the state building block of one sidecar.</summary>
public static class StateFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
    }

    public static void Map(WebApplication app)
    {
    }
}
