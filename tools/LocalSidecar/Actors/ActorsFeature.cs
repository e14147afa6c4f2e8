using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;

namespace LocalSidecar.Actors;

/// <summary>Registers and maps the actors building block of one sidecar.</summary>
public static class ActorsFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
        services.AddSingleton<ActorRuntime>();
        services.AddSingleton<IActorMetadataSource>(sp => sp.GetRequiredService<ActorRuntime>());
        services.AddSingleton<ActorScheduler>();
        services.AddSingleton<ActorPlacement>();
        services.AddSingleton<ActorInvoker>();
        services.AddSingleton<ActorStateStore>();
        services.AddSingleton<ActorScheduleApi>();
        services.AddHostedService<ActorRuntimeHost>();
    }

    public static void Map(WebApplication app) => ActorEndpoints.Map(app);
}
