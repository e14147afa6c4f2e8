using System.Text;

namespace Fuzz.Http;

/// <summary>
/// Text to bytes for the wire. <see cref="Wtf8"/> is UTF-8 except that a lone surrogate becomes its three-byte
/// generalized-UTF-8 form (ED A0 80 for U+D800) instead of being replaced, so the server sees the broken text.
/// </summary>
public static class Utf8
{
    public static byte[] Wtf8(string text)
    {
        var output = new List<byte>(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            int code = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                code = char.ConvertToUtf32(text[i], text[++i]);
            Append(output, code);
        }

        return [.. output];
    }

    /// <summary>Percent-encodes everything outside RFC 3986's unreserved set, byte by byte of <see cref="Wtf8"/>.</summary>
    public static string PercentEncode(string text)
    {
        var output = new StringBuilder();
        foreach (var b in Wtf8(text))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                output.Append((char)b);
            else
                output.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return output.ToString();
    }

    private static void Append(List<byte> output, int code)
    {
        switch (code)
        {
            case < 0x80:
                output.Add((byte)code);
                break;
            case < 0x800:
                output.Add((byte)(0xC0 | (code >> 6)));
                output.Add((byte)(0x80 | (code & 0x3F)));
                break;
            case < 0x10000:
                output.Add((byte)(0xE0 | (code >> 12)));
                output.Add((byte)(0x80 | ((code >> 6) & 0x3F)));
                output.Add((byte)(0x80 | (code & 0x3F)));
                break;
            default:
                output.Add((byte)(0xF0 | (code >> 18)));
                output.Add((byte)(0x80 | ((code >> 12) & 0x3F)));
                output.Add((byte)(0x80 | ((code >> 6) & 0x3F)));
                output.Add((byte)(0x80 | (code & 0x3F)));
                break;
        }
    }

    /// <summary>JSON string literal: lone surrogates and control characters as \u escapes (so they survive), pairs raw.</summary>
    public static string JsonString(string text)
    {
        var output = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                output.Append(c).Append(text[++i]); // a valid pair (emoji) travels raw
                continue;
            }

            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case < ' ' or '\u007f' or (>= '\ud800' and <= '\udfff'):
                    output.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default: output.Append(c); break;
            }
        }

        return output.Append('"').ToString();
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
