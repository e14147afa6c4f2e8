using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Fuzz.Http;

/// <summary>
/// One request as bytes on a fresh connection (<c>Connection: close</c>), one answer read to the end. HttpClient would
/// refuse or repair exactly what a fuzzer must send: odd methods (CONNECT), dot segments and <c>%2F</c> in the path,
/// non-ASCII header bytes, lone surrogates.
/// </summary>
public static class RawHttp
{
    private const int MaxKeptBytes = 64 * 1024;

    public static async Task<FuzzResponse> SendAsync(FuzzRequest request, TimeSpan timeout, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(request.Base.Host, request.Base.Port, deadline.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encode(request), deadline.Token);
            var kept = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            // A server may answer before reading the whole body and close: the answer is still what counts.
            while ((read = await ReadAsync(stream, buffer, deadline.Token)) > 0)
            {
                if (kept.Length < MaxKeptBytes)
                    kept.Write(buffer, 0, (int)Math.Min(read, MaxKeptBytes - kept.Length));
            }

            return Parse(kept.ToArray(), watch.Elapsed);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return FuzzResponse.NoAnswer($"no answer within {timeout.TotalSeconds:0} s", watch.Elapsed);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return FuzzResponse.NoAnswer($"{ex.GetType().Name}: {ex.Message}", watch.Elapsed);
        }
    }

    private static async Task<int> ReadAsync(NetworkStream stream, byte[] buffer, CancellationToken cancel)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancel);
        }
        catch (IOException)
        {
            // A reset after the answer (the server closed with unread request bytes) ends the answer.
            return 0;
        }
    }

    /// <summary>The request's exact bytes: header values as UTF-8 (so non-ASCII travels raw), then the body.</summary>
    public static byte[] Encode(FuzzRequest request)
    {
        var head = new StringBuilder();
        head.Append(request.Method).Append(' ').Append(request.Target).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(request.Base.Authority).Append("\r\n");
        head.Append("Connection: close\r\n");
        foreach (var (name, value) in request.Headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (request.Body is not null)
            head.Append("Content-Length: ").Append(request.Body.Length).Append("\r\n");
        head.Append("\r\n");
        var headBytes = Utf8.Wtf8(head.ToString());
        return request.Body is null ? headBytes : [.. headBytes, .. request.Body];
    }

    private static FuzzResponse Parse(byte[] bytes, TimeSpan elapsed)
    {
        var end = IndexOf(bytes, "\r\n\r\n"u8);
        if (bytes.Length == 0 || end < 0)
            return FuzzResponse.NoAnswer(bytes.Length == 0 ? "connection closed without an answer" : "incomplete answer", elapsed);
        var head = Encoding.Latin1.GetString(bytes, 0, end);
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !int.TryParse(status[1], out var code))
            return FuzzResponse.NoAnswer($"not an HTTP status line: {lines[0]}", elapsed);

        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        var body = bytes.AsSpan(end + 4).ToArray();
        if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Item2.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            body = Dechunk(body);
        return new FuzzResponse(code, headers, Encoding.UTF8.GetString(body), elapsed, null);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = IndexOf(body.AsSpan(position), "\r\n"u8);
            if (lineEnd < 0)
                break;
            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
                break;
            position += lineEnd + 2;
            output.Write(body, position, Math.Min(size, body.Length - position));
            position += size + 2;
        }

        return output.ToArray();
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}
