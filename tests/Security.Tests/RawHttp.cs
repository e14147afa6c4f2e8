using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Security.Tests;

/// <summary>
/// HTTP/1.1 with the request target sent byte for byte: HttpClient normalises <c>..</c>, <c>.</c> and case before
/// sending, which would hide exactly the path tricks an attacker uses.
/// </summary>
public static class RawHttp
{
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        Uri server, string method, string target, IReadOnlyDictionary<string, string>? headers = null, string? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = new StringBuilder()
            .Append($"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Append($"{name}: {value}\r\n");
        var content = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
            request.Append($"Content-Type: application/json\r\nContent-Length: {content.Length}\r\n");
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()).Concat(content).ToArray());

        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var statusLine = response.Split("\r\n", 2)[0];
        var parts = statusLine.Split(' ');
        if (parts.Length < 2 || !int.TryParse(parts[1], out var status))
            throw new InvalidOperationException($"no HTTP status line for {method} {target}: '{statusLine}'");
        var separator = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return ((HttpStatusCode)status, separator < 0 ? "" : response[(separator + 4)..]);
    }
}
