using System.Text;
using LocalSidecar.Configuration;
using Microsoft.AspNetCore.Http.Features;

namespace LocalSidecar.Invocation;

/// <summary>
/// Which app and which method a call is for, found as daprd's findTargetIDAndMethod finds them
/// (dapr/dapr pkg/api/http/directmessaging.go, v1.16): the <c>dapr-app-id</c> header (the whole path is the method),
/// basic auth with user <c>dapr-app-id</c>, then <c>/v1.0/invoke/{id}/method/{method}</c>. Like daprd it reads the
/// fully percent-decoded path (Go's r.URL.Path), so an encoded slash is a slash when the method is cleaned.
/// </summary>
public sealed record InvocationTarget(string AppId, string Method)
{
    public const string AppIdHeader = "dapr-app-id";

    /// <summary>Null when the request names no app; an empty <see cref="AppId"/> when basic auth names an empty one.</summary>
    public static InvocationTarget? Resolve(HttpContext http)
    {
        var path = DecodedPath(http);
        var request = http.Request;
        if (request.Headers[AppIdHeader].FirstOrDefault() is { Length: > 0 } id)
            return new InvocationTarget(id, TrimSlash(GoText.CleanPath(path)));

        var authorization = request.Headers.Authorization.FirstOrDefault() ?? "";
        if (authorization.StartsWith("Basic ", StringComparison.Ordinal) && DecodeBase64(authorization["Basic ".Length..]) is { } credentials)
        {
            var pair = credentials.Split(':');
            if (pair.Length == 2 && pair[0].Equals(AppIdHeader, StringComparison.OrdinalIgnoreCase))
                return new InvocationTarget(pair[1], TrimSlash(GoText.CleanPath(path)));
        }

        var start = PathHasPrefix(path, "v1.0", "invoke");
        if (start <= 0)
            return null;
        var rest = path[start..];
        var split = rest.IndexOf("/method/", StringComparison.Ordinal);
        if (split <= 0)
            return null;
        var method = GoText.CleanPath(rest[(split + "/method/".Length)..]);
        var targetId = rest[..split];
        if (QueryUnescape(targetId) is { Length: > 0 } unescaped)
            targetId = unescaped;
        return new InvocationTarget(targetId, method == "." ? "" : method);
    }

    /// <summary>
    /// daprd's NormalizeMethod (pkg/messaging/method/normalize.go): '#', '?', NUL and control characters are refused
    /// (the error text is daprd's); then path.Clean, with leading "../" dropped and "." meaning the root.
    /// </summary>
    public static bool TryNormalizeMethod(string method, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        if (method.AsSpan().IndexOfAny("#?\0") >= 0)
        {
            error = $"method contains forbidden character: {GoText.Quote(method)}";
            return false;
        }

        var utf8 = Encoding.UTF8.GetBytes(method);
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] < 0x20 || utf8[i] == 0x7f)
            {
                error = $"method contains control character at position {i}: {GoText.Quote(method)}";
                return false;
            }
        }

        var cleaned = GoText.CleanPath(method);
        while (cleaned.StartsWith("../", StringComparison.Ordinal))
            cleaned = cleaned[3..];
        normalized = cleaned is ".." or "." ? "" : cleaned;
        return true;
    }

    /// <summary>The header route's method (path.Clean, leading slash dropped), normalized; kept for the unit tests.</summary>
    internal static string CleanMethod(string method) =>
        TryNormalizeMethod(TrimSlash(GoText.CleanPath(method)), out var normalized, out _) ? normalized : "";

    /// <summary>Go's r.URL.Path: the request target's path with every escape decoded, %2F included.</summary>
    internal static string DecodedPath(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
            return http.Request.PathBase.Value + http.Request.Path.Value;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query >= 0 ? raw[..query] : raw);
    }

    private static string TrimSlash(string path) => path.StartsWith('/') ? path[1..] : path;

    /// <summary>The index just past "/part1/part2/" (empty segments skipped), or -1 (directmessaging.go pathHasPrefix).</summary>
    private static int PathHasPrefix(string path, params string[] parts)
    {
        if (path.Length == 0)
            return -1;
        int i, start = 0, found = 0;
        for (i = 0; i < path.Length; i++)
        {
            if (path[i] != '/')
            {
                if (found >= parts.Length)
                    return i;
                continue;
            }

            if (i - start > 0)
            {
                if (found < parts.Length && path[start..i] == parts[found])
                    found++;
                else
                    return -1;
            }

            start = i + 1;
        }

        return found >= parts.Length ? i : -1;
    }

    private static string? QueryUnescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    private static string? DecodeBase64(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
