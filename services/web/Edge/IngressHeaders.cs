using Microsoft.AspNetCore.HttpOverrides;

namespace Web.Edge;

/// <summary>
/// Behind the AKS ingress TLS ends at the ingress and every request arrives over plain http from the ingress pod. With
/// <c>Edge:TrustForwardedHeaders</c> (set only in the AKS manifests, where a network policy lets nothing but the
/// ingress reach web) the last hop's <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> are believed, so the sign-in
/// redirect URI is https (Entra ID accepts only the registered https one) and the rate limit counts per client, not
/// per ingress pod. Off by default: a web app reachable directly must not let a client choose its own address.
/// </summary>
public static class IngressHeaders
{
    public const string SettingKey = "Edge:TrustForwardedHeaders";

    public static WebApplicationBuilder AddIngressHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1; // only the ingress's own entry: earlier ones are whatever the client sent
            options.KnownIPNetworks.Clear(); // the ingress pod's address is not known in advance; the network policy is the guard
            options.KnownProxies.Clear();
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after sees the client's scheme and address.</summary>
    public static WebApplication UseIngressHeaders(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(SettingKey))
            app.UseForwardedHeaders();
        return app;
    }
}
