using System.Diagnostics;
using System.Net;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Sidecar;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Web.SignIn;
using Yarp.ReverseProxy.Forwarder;

namespace Web.Edge;

/// <summary>
/// <c>/api/{app}/{path}</c> → the web app's own Dapr sidecar as <c>/v1.0/invoke/{app}/method/{path}</c>, for the
/// public routes of <see cref="EdgeRouteTable"/> only. The invoke form (never the client's path as is) means no request
/// can land on one of the sidecar's own APIs (<c>/v1.0/publish</c>, <c>/v1.0/state</c>, metadata), and the path
/// must already be in canonical form (unreserved characters, no empty, dot or percent-encoded segments), so what the
/// edge checked is exactly what the service routes. A signed-in browser's request carries the session's access token
/// (and, when it changes state, the antiforgery header); a script's own <c>Authorization</c> passes as sent. Method,
/// query, body, <c>If-Match</c> and <c>Idempotency-Key</c> pass through, every <c>dapr-*</c> header from the browser is dropped, and the answer
/// (<c>ETag</c>, <c>Retry-After</c>, problem documents) comes back unchanged.
/// </summary>
public static class EdgeProxy
{
    public const string ApiPrefix = "/api";
    private static readonly TimeSpan OutageRetryAfter = TimeSpan.FromSeconds(2);

    public static WebApplicationBuilder AddEdgeProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(EdgeRouteTable.Default);
        builder.Services.AddSingleton(sp => new EdgeForwarding(
            DaprSidecarEndpoint.ResolveHttpEndpoint(builder.Configuration),
            builder.Configuration[DaprSidecarEndpoint.ApiTokenKey]));
        return builder;
    }

    public static WebApplication MapEdgeProxy(this WebApplication app)
    {
        // Every method, every path under /api: what is not public is answered here, never forwarded.
        app.Map(ApiPrefix + "/{**rest}", ForwardAsync)
            .RequireRateLimiting(EdgeRateLimiting.PolicyName)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, EdgeRouteTable table, EdgeForwarding forwarding, IHttpForwarder forwarder,
        IAntiforgery antiforgery, SessionTokens tokens)
    {
        var target = CanonicalTarget(context);
        var route = target is { } t ? table.Match(t.App, context.Request.Method, t.Segments) : null;
        if (target is null || route is null)
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not part of the public API.");
            return;
        }

        if (FirstUnsafeHeader(context.Request.Headers) is { } header)
        {
            await Problem(context, StatusCodes.Status400BadRequest, $"Header '{header}' must be printable ASCII.");
            return;
        }

        string? accessToken = null;
        if (context.Request.Headers.Authorization.Count == 0
            && await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme) is { Succeeded: true, Properties: { } session })
        {
            // The browser sends the cookie on any site's form post: a change needs the token only this origin can read.
            // Header only: a form body is never read here (the services take JSON, and the forwarder needs the body).
            if (!IsSafe(context.Request.Method)
                && (!context.Request.Headers.ContainsKey(SignInExtensions.AntiforgeryHeader) || !await antiforgery.IsRequestValidAsync(context)))
            {
                await BffProblems.AntiforgeryMissing().ExecuteAsync(context);
                return;
            }
            if (tokens.IsExpired(session))
            {
                await ApiProblems.ServiceUnavailable(OutageRetryAfter,
                    "The session's access token could not be refreshed: the sign-in provider is unreachable; try again shortly.").ExecuteAsync(context);
                return;
            }
            accessToken = session.GetTokenValue(SessionTokens.AccessToken);
        }

        var path = $"/v1.0/invoke/{target.Value.App}/method/{string.Join('/', target.Value.Segments)}";
        var error = await forwarder.SendAsync(context, forwarding.Sidecar, forwarding.Client, forwarding.RequestConfig,
            new InvokeTransformer(path, forwarding.ApiToken, accessToken));
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            // The web app's own sidecar is unreachable or timed out: an outage, not the client's fault.
            context.Response.Clear();
            await ApiProblems.ServiceUnavailable(OutageRetryAfter,
                    "The service could not be reached through the Dapr sidecar; try again shortly.")
                .ExecuteAsync(context);
        }
    }

    /// <summary>App id and path segments of an <c>/api/…</c> request, or null when the raw path is not canonical.</summary>
    internal static (string App, string[] Segments)? CanonicalTarget(HttpContext context)
    {
        // Kestrel keeps the target as the client sent it (before decoding and dot-segment removal); an in-memory
        // test server may leave it empty.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target ? target : context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?');
        var path = query < 0 ? raw : raw[..query];
        if (!path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
            return null;

        var segments = path[(ApiPrefix.Length + 1)..].Split('/');
        if (segments.Length < 2 || segments.Any(s => !IsCanonicalSegment(s)))
            return null;
        return (segments[0], segments[1..]);
    }

    /// <summary>RFC 3986 unreserved characters only, and not a dot segment: nothing a server could decode or fold.</summary>
    private static bool IsCanonicalSegment(string segment) =>
        segment.Length is > 0 and <= 200
        && segment is not "." and not ".."
        && segment.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~');

    /// <summary>HttpClient refuses non-ASCII header values (the proxy would answer 502); refuse them as the client's mistake.</summary>
    private static string? FirstUnsafeHeader(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null && value.Any(c => c is < ' ' and not '\t' or > '~'))
                    return name;
            }
        }

        return null;
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static Task Problem(HttpContext context, int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status).ExecuteAsync(context);

    private sealed class InvokeTransformer(string path, string? apiToken, string? accessToken) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
            string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + path + httpContext.Request.QueryString.Value);

            // A browser must not pick the target app, speak as another app (dapr-caller-app-id), or present a
            // sidecar token: every dapr-* header is the web app's to set. Cookies are the web app's, not the services'.
            var headers = proxyRequest.Headers;
            foreach (var name in headers.Select(h => h.Key).Where(IsDaprHeader).ToList())
                headers.Remove(name);
            headers.Remove("Cookie");
            if (!string.IsNullOrEmpty(apiToken))
                headers.TryAddWithoutValidation(DaprSidecarEndpoint.ApiTokenHeader, apiToken);
            if (accessToken is not null)
                headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        private static bool IsDaprHeader(string name) => name.StartsWith("dapr-", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The one connection pool to the sidecar and its settings.</summary>
public sealed class EdgeForwarding(Uri sidecar, string? apiToken)
{
    public string Sidecar { get; } = sidecar.ToString();

    public string? ApiToken { get; } = apiToken;

    public HttpMessageInvoker Client { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    });

    // The sidecar's HTTP API is HTTP/1.1 on loopback; no h2c negotiation to attempt.
    public ForwarderRequestConfig RequestConfig { get; } = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromSeconds(60),
    };
}
