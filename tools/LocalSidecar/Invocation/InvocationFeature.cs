using LocalSidecar.Configuration;
using LocalSidecar.Hosting;

namespace LocalSidecar.Invocation;

/// <summary>
/// HTTP service invocation: <c>/v1.0/invoke/{appId}/method/{**method}</c>, and any other path carrying a
/// <c>dapr-app-id</c> header (daprd's fallback route), forwarded to the target app through its sidecar.
/// </summary>
public static class InvocationFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context)
    {
        services.AddSingleton<InvocationForwarder>();
        services.AddSingleton(sp => new InvocationPolicy(context.Options, sp.GetRequiredService<DaprConfiguration>()));
    }

    public static void Map(WebApplication app)
    {
        // daprd: the header wins over the path when both are present; InvocationTarget.Resolve decides for both routes.
        app.Map("/v1.0/invoke/{appId}/method/{**method}", (HttpContext http, InvocationForwarder forwarder) => forwarder.ForwardAsync(http));

        // daprd routes every unmatched path (and unmatched method) here. Not MapFallback(handler): its pattern is
        // {*path:nonfile}, which skips a path whose last segment has a dot ("/events/order.cancelled").
        app.MapFallback("{**path}", (HttpContext http, InvocationForwarder forwarder) => forwarder.ForwardAsync(http));
    }
}
