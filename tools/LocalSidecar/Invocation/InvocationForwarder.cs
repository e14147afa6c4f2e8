using System.Diagnostics;
using System.Net;
using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;

namespace LocalSidecar.Invocation;

/// <summary>
/// Forwards an invocation to the target app the way daprd does: verb, query and body unchanged; headers forwarded
/// except dapr-app-id / dapr-api-token / host; caller headers and traceparent added; the app's status, headers and
/// body passed back as they are, 4xx/5xx included. An unknown app id or a transport failure is 500 ERR_DIRECT_INVOKE.
/// </summary>
public sealed class InvocationForwarder(SidecarContext self, ILogger<InvocationForwarder> logger)
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

    public async Task ForwardAsync(HttpContext http, InvocationTarget target)
    {
        var targetSidecar = self.Cluster.Find(target.AppId);
        var channel = targetSidecar?.Services.GetService<AppChannel>();
        if (channel?.Http is null)
        {
            await DaprHttpResults.WriteErrorAsync(http, 500, "ERR_DIRECT_INVOKE",
                $"failed to invoke, id: {target.AppId}, err: couldn't find service: {target.AppId}");
            return;
        }

        using var request = channel.CreateRequest(new HttpMethod(http.Request.Method), "/" + target.Method + http.Request.QueryString);
        CopyRequestHeaders(http, request, target.AppId);
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
            logger.LogWarning("invoke {AppId}/{Method} failed: {Error}", target.AppId, target.Method, ex.Message);
            await DaprHttpResults.WriteErrorAsync(http, 500, "ERR_DIRECT_INVOKE",
                $"failed to invoke, id: {target.AppId}, err: {ex.Message}");
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
