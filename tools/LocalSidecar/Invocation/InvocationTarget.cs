using System.Text;

namespace LocalSidecar.Invocation;

/// <summary>Which app and which method a call is for, resolved in daprd's order (header, basic auth, path).</summary>
public sealed record InvocationTarget(string AppId, string Method)
{
    public const string AppIdHeader = "dapr-app-id";

    public static InvocationTarget? FromHeaders(HttpRequest request)
    {
        var method = CleanMethod(request.Path.Value ?? "");
        if (request.Headers[AppIdHeader].ToString() is { Length: > 0 } id)
            return new InvocationTarget(StripNamespace(id), method);

        // Basic auth with user "dapr-app-id" and the app id as password (for clients that can only set credentials).
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && decoded[..colon] == AppIdHeader && decoded[(colon + 1)..] is { Length: > 0 } basicId)
                    return new InvocationTarget(StripNamespace(basicId), method);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    public static InvocationTarget FromPath(string appId, string method) =>
        new(StripNamespace(Uri.UnescapeDataString(appId)), CleanMethod(method));

    /// <summary>"app.namespace" addresses an app in a namespace; self-hosted there is one namespace.</summary>
    private static string StripNamespace(string appId)
    {
        var dot = appId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? appId[..dot] : appId;
    }

    /// <summary>daprd passes the method through path.Clean and drops the leading slash.</summary>
    internal static string CleanMethod(string method)
    {
        var parts = new List<string>();
        foreach (var part in method.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
