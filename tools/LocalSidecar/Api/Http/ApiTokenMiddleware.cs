using System.Security.Cryptography;
using System.Text;
using LocalSidecar.Hosting;

namespace LocalSidecar.Api.Http;

/// <summary>
/// DAPR_API_TOKEN on the HTTP port: every call but the healthz routes must carry it as <c>dapr-api-token</c>.
/// The header is removed afterwards so it is never forwarded to another app (daprd strips it too).
/// gRPC calls are checked by <see cref="Grpc.ApiTokenInterceptor"/>.
/// </summary>
public sealed class ApiTokenMiddleware(RequestDelegate next, SidecarOptions options)
{
    public const string Header = "dapr-api-token";

    public Task InvokeAsync(HttpContext context)
    {
        if (string.IsNullOrEmpty(options.ApiToken) || context.Request.Protocol == "HTTP/2")
            return next(context);

        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/v1.0/healthz", StringComparison.Ordinal))
            return next(context);

        if (!Matches(context.Request.Headers[Header].ToString(), options.ApiToken))
        {
            return DaprHttpResults.WriteErrorAsync(context, 401, "ERR_UNAUTHORIZED", "invalid api token");
        }

        context.Request.Headers.Remove(Header);
        return next(context);
    }

    internal static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}

/// <summary>One line per API call (daprd's --enable-api-logging).</summary>
public sealed class ApiLoggingMiddleware(RequestDelegate next, ILogger<ApiLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        logger.LogInformation("{Method} {Path} -> {Status}", context.Request.Method, context.Request.Path, context.Response.StatusCode);
    }
}
