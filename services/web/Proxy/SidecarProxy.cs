using System.Net;
using DaprReservations.BuildingBlocks.Sidecar;
using DaprReservations.BuildingBlocks.Topology;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Web.Proxy;

/// <summary>
/// <c>/api/{app}/{rest}</c> → the web app's own Dapr sidecar, <c>{sidecar}/{rest}</c> with <c>dapr-app-id: {app}</c>:
/// service invocation, so mTLS, resiliency policies, tracing and access control apply exactly as between services.
/// Everything else of the request (method, query, body, <c>Authorization</c>, <c>If-Match</c>, <c>Idempotency-Key</c>)
/// and of the answer (<c>ETag</c>, <c>Retry-After</c>, problem documents) passes through unchanged.
/// </summary>
public static class SidecarProxy
{
    public const string ApiPrefix = "/api";
    public const string AppIdHeader = "dapr-app-id";
    public const string ApiTokenHeader = "dapr-api-token";
    private const string ClusterId = "sidecar";

    /// <summary>The apps a browser may reach; payment is called only by the ordering saga.</summary>
    public static readonly IReadOnlyList<string> ForwardedApps = [AppIds.Catalog, AppIds.Reservation, AppIds.Ordering];

    public static WebApplicationBuilder AddSidecarProxy(this WebApplicationBuilder builder)
    {
        var sidecar = DaprSidecarEndpoint.ResolveHttpEndpoint(builder.Configuration);
        var apiToken = builder.Configuration[DaprSidecarEndpoint.ApiTokenKey];

        var routes = ForwardedApps.Select(app => new RouteConfig
        {
            RouteId = app,
            ClusterId = ClusterId,
            Match = new RouteMatch { Path = $"{ApiPrefix}/{app}/{{**rest}}" },
        }).ToArray();
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            Destinations = new Dictionary<string, DestinationConfig> { ["sidecar"] = new() { Address = sidecar.ToString() } },
            // The sidecar's HTTP API is HTTP/1.1 on loopback; no h2c negotiation to attempt.
            HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower },
        };

        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, [cluster])
            .AddTransforms(context =>
            {
                var appId = context.Route.RouteId;
                context.AddPathRouteValues(new PathString("/{**rest}"));
                context.AddRequestTransform(transform =>
                {
                    var headers = transform.ProxyRequest.Headers;
                    // A browser must not pick the target app, speak as another app (dapr-caller-app-id opens internal
                    // endpoints) or present a sidecar token: every dapr-* header is the web app's to set.
                    foreach (var name in headers.Select(h => h.Key).Where(IsDaprHeader).ToList())
                        headers.Remove(name);
                    headers.TryAddWithoutValidation(AppIdHeader, appId);
                    if (!string.IsNullOrEmpty(apiToken))
                        headers.TryAddWithoutValidation(ApiTokenHeader, apiToken);
                    return ValueTask.CompletedTask;
                });
            });
        return builder;
    }

    public static WebApplication MapSidecarProxy(this WebApplication app)
    {
        app.MapReverseProxy();
        return app;
    }

    private static bool IsDaprHeader(string name) => name.StartsWith("dapr-", StringComparison.OrdinalIgnoreCase);
}
