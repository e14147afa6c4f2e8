using LocalSidecar.Hosting;

namespace LocalSidecar.Invocation;

/// <summary>
/// HTTP service invocation: <c>/v1.0/invoke/{appId}/method/{**method}</c>, and any other path carrying a
/// <c>dapr-app-id</c> header (daprd's fallback route), forwarded to the target app through its sidecar.
/// </summary>
public static class InvocationFeature
{
    public static void AddServices(IServiceCollection services, SidecarContext context) =>
        services.AddSingleton<InvocationForwarder>();

    public static void Map(WebApplication app)
    {
        app.Map("/v1.0/invoke/{appId}/method/{**method}", (HttpContext http, string appId, string? method, InvocationForwarder forwarder) =>
        {
            // daprd: the header wins over the path when both are present.
            var target = InvocationTarget.FromHeaders(http.Request) ?? InvocationTarget.FromPath(appId, method ?? "");
            return forwarder.ForwardAsync(http, target);
        });

        app.MapFallback((HttpContext http, InvocationForwarder forwarder) =>
        {
            var target = InvocationTarget.FromHeaders(http.Request);
            return target is null
                ? Api.Http.DaprHttpResults.WriteErrorAsync(http, 404, "ERR_DIRECT_INVOKE",
                    "failed getting app id either from the URL path or the header dapr-app-id")
                : forwarder.ForwardAsync(http, target);
        });
    }
}
