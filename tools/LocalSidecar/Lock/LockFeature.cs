using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;

namespace LocalSidecar.Lock;

/// <summary>Registers and maps the lock building block of one sidecar.</summary>
public static class LockFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context) =>
        services.AddSingleton(new LockStoreRegistry(context));

    public static void Map(WebApplication app) => LockEndpoints.Map(app);
}
