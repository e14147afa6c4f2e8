using System.Diagnostics;
using System.Net;
using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;

namespace LocalSidecar.Invocation;

/// <summary>
/// Forwards an invocation to the target app the way daprd does: verb, query and body unchanged; headers forwarded
/// except dapr-app-id / dapr-api-token / host; caller headers and traceparent added; the app's status, headers and
/// body passed back as they are, 4xx/5xx included. An unknown app id or a transport failure is 500 ERR_DIRECT_INVOKE;
/// a call the callee's accessControl refuses is 403 ERR_DIRECT_INVOKE.
/// </summary>
public sealed class InvocationForwarder(SidecarContext self, InvocationPolicy policy, ILogger<InvocationForwarder> logger)
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "dapr-app-id", "dapr-api-token", "connection", "keep-alive", "transfer-encoding", "upgrade",
        "proxy-connection", "te", "trailer", "content-length",
    };

    private static readonly HashSet<string> NotReturned = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "trailer",
    };

    /// <summary>
    /// daprd's onDirectMessage: find the target, normalize the method, resolve the app, let the CALLEE's sidecar apply
    /// its access control list (self-invocation skips it, as daprd's invokeLocal does), then relay.
    /// </summary>
    public async Task ForwardAsync(HttpContext http)
    {
        var target = InvocationTarget.Resolve(http);
        if (target is null || target.AppId.Length == 0)
        {
            await DaprHttpResults.WriteErrorAsync(http, 404, "ERR_DIRECT_INVOKE", "failed getting app id either from the URL path or the header dapr-app-id");
            return;
        }

        if (!InvocationTarget.TryNormalizeMethod(target.Method, out var method, out var invalid))
        {
            await DirectInvokeErrorAsync(http, 500, target.AppId, $"rpc error: code = InvalidArgument desc = invalid method: {invalid}");
            return;
        }

        // "app.namespace" names an app in a namespace; this cluster has one namespace, so only the app id counts.
        var idParts = target.AppId.Split('.');
        if (idParts.Length > 2)
        {
            await DirectInvokeErrorAsync(http, 500, target.AppId, $"invalid app id {target.AppId}");
            return;
        }

        var appId = idParts[0];
        var targetSidecar = self.Cluster.Find(appId);
        var channel = targetSidecar?.Services.GetService<AppChannel>();
        if (channel?.Http is null)
        {
            await DirectInvokeErrorAsync(http, 500, appId, $"couldn't find service: {appId}");
            return;
        }

        var verb = DaprVerb(http.Request.Method);
        if (appId != self.AppId)
        {
            var denial = targetSidecar!.Services.GetRequiredService<InvocationPolicy>().Check(policy.Identity, method, verb);
            if (denial is not null)
            {
                logger.LogInformation("invoke {AppId}/{Method} refused by {AppId}'s access control: {Denial}", appId, method, appId, denial);
                await DirectInvokeErrorAsync(http, 403, target.AppId, $"rpc error: code = PermissionDenied desc = {denial}");
                return;
            }
        }

        using var request = channel.CreateRequest(new HttpMethod(verb), "/" + method + http.Request.QueryString);
        CopyRequestHeaders(http, request, appId);
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(http.Request.Body);
            if (http.Request.ContentType is { } contentType)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        HttpResponseMessage response;
        try
        {
            response = await channel.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("invoke {AppId}/{Method} failed: {Error}", appId, method, ex.Message);
            await DirectInvokeErrorAsync(http, 500, appId, ex.Message);
            return;
        }

        using (response)
        {
            http.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!NotReturned.Contains(header.Key))
                    http.Response.Headers[header.Key] = header.Value.ToArray();
            }

            await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }

    /// <summary>daprd's ErrDirectInvoke body; 403 when the callee's access control refused (HTTPStatusFromCode(PermissionDenied)).</summary>
    private static Task DirectInvokeErrorAsync(HttpContext http, int status, string targetId, string error) =>
        DaprHttpResults.WriteErrorAsync(http, status, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {targetId}, err: {error}");

    /// <summary>daprd carries the verb as an HTTPExtension enum value: a verb it does not know becomes POST.</summary>
    internal static string DaprVerb(string method)
    {
        var upper = method.ToUpperInvariant();
        return upper is "GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "CONNECT" or "OPTIONS" or "TRACE" or "PATCH" ? upper : "POST";
    }

    private void CopyRequestHeaders(HttpContext http, HttpRequestMessage request, string targetAppId)
    {
        foreach (var (name, values) in http.Request.Headers)
        {
            if (NotForwarded.Contains(name) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                continue;
            request.Headers.TryAddWithoutValidation(name.ToLowerInvariant(), values.ToArray());
        }

        if (!request.Headers.Contains("traceparent"))
            request.Headers.TryAddWithoutValidation("traceparent", NewTraceParent());

        // Self-invocation goes straight to the app channel, without the caller/forwarded headers.
        if (targetAppId == self.AppId)
            return;
        request.Headers.TryAddWithoutValidation("dapr-caller-app-id", self.AppId);
        request.Headers.TryAddWithoutValidation("dapr-callee-app-id", targetAppId);
        if (!string.IsNullOrEmpty(self.Options.Namespace))
            request.Headers.TryAddWithoutValidation("dapr-caller-namespace", self.Options.Namespace);
        var callerIp = http.Connection.RemoteIpAddress?.ToString() ?? IPAddress.Loopback.ToString();
        var hostName = Environment.MachineName;
        var forwardedFor = http.Request.Headers["X-Forwarded-For"].ToString();
        request.Headers.Remove("x-forwarded-for");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor.Length > 0 ? $"{forwardedFor}, {callerIp}" : callerIp);
        request.Headers.Remove("x-forwarded-host");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", hostName);
        request.Headers.TryAddWithoutValidation("Forwarded", $"for={callerIp};by={callerIp};host={hostName}");
    }

    private static string NewTraceParent()
    {
        var current = Activity.Current;
        if (current is not null && current.IdFormat == ActivityIdFormat.W3C)
            return current.Id!;
        return $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";
    }
}
