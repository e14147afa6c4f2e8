using System.Text;

namespace Fuzz.Http;

/// <summary>
/// One generated request. <see cref="Target"/> is the request-target exactly as sent (it may hold raw non-ASCII or
/// <c>%2F</c>); <see cref="Recipe"/> names the generators that made it, for the report.
/// </summary>
public sealed class FuzzRequest
{
    public required int Index { get; init; }
    public required string Route { get; init; }
    public required Uri Base { get; init; }
    public required string Method { get; set; }
    public required string Target { get; set; }
    public List<(string Name, string Value)> Headers { get; } = [];
    public byte[]? Body { get; set; }
    public List<string> Recipe { get; } = [];

    /// <summary>True when the request may act with real credentials (a valid token, a spoofed caller id, the app token).</summary>
    public bool Privileged { get; set; }

    public string Describe(int maxBody = 400)
    {
        var text = new StringBuilder();
        text.Append('#').Append(Index).Append(' ').Append(Method).Append(' ').Append(Base.Authority).Append(Clip(Target, 300));
        text.Append("  [").Append(string.Join(", ", Recipe)).Append(']');
        foreach (var (name, value) in Headers)
            text.Append("\n    ").Append(name).Append(": ").Append(Clip(Printable(value), 160));
        if (Body is { } body)
            text.Append("\n    body (").Append(body.Length).Append(" bytes): ").Append(Clip(Printable(Encoding.UTF8.GetString(body)), maxBody));
        return text.ToString();
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + $"…(+{text.Length - max})";

    /// <summary>Control characters and lone surrogates shown as escapes so a report stays one readable line.</summary>
    private static string Printable(string text)
    {
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pairedHigh = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var pairedLow = char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]);
            if (char.IsControl(c) || (char.IsSurrogate(c) && !pairedHigh && !pairedLow))
                output.Append($"\\u{(int)c:x4}");
            else
                output.Append(c);
        }

        return output.ToString();
    }
}

/// <summary>What came back: a status (0 when there was no answer), headers, the body's start.</summary>
public sealed record FuzzResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body, TimeSpan Elapsed, string? Error)
{
    public static FuzzResponse NoAnswer(string error, TimeSpan elapsed) => new(0, [], "", elapsed, error);

    public bool IsServerError => Status >= 500;

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
