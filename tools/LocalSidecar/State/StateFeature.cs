using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;

namespace LocalSidecar.State;

/// <summary>Registers and maps the state building block of one sidecar.</summary>
public static class StateFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
        // Built now, not on first request: a duplicate actor state store or a bad keyPrefix must stop the sidecar.
        services.AddSingleton(new StateStoreRegistry(context));
    }

    public static void Map(WebApplication app) => StateEndpoints.Map(app);
}
