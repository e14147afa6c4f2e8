using LocalSidecar.Hosting;

namespace LocalSidecar.Invocation;

/// <summary>Registers and maps the invocation building block of one sidecar.</summary>
public static class InvocationFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
    }

    public static void Map(WebApplication app)
    {
    }
}
