using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LocalSidecar.Json;

/// <summary>
/// What daprd does to a JSON value arriving over HTTP before storing it (state values, actor state; dapr-semantics.md
/// §1.8): Go's encoding/json
/// decodes it into <c>any</c> and jsoniter ConfigFastest writes it back — compact, HTML unescaped, unicode escapes
/// decoded, numbers as float64 with 6-decimal lossy formatting below 0x4ffffff.
/// Choice: object key order is kept (Go's map order is random; any order is faithful, a stable one is testable).
/// </summary>
public static class GoJson
{
    /// <summary>True when the bytes are one JSON value (HTTP bulk get embeds such values raw).</summary>
    public static bool IsJson(byte[] data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static byte[] Reencode(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Write(StringBuilder output, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!first)
                        output.Append(',');
                    first = false;
                    WriteString(output, property.Name);
                    output.Append(':');
                    Write(output, property.Value);
                }

                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                        output.Append(',');
                    firstItem = false;
                    Write(output, item);
                }

                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(output, value.GetString()!);
                break;
            case JsonValueKind.Number:
                output.Append(FormatFloat64Lossy(value.GetDouble()));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            default:
                output.Append("null");
                break;
        }
    }

    // jsoniter's WriteStringWithHTMLEscaped=false path: escapes only '"', '\\' and control characters.
    private static void WriteString(StringBuilder output, string text)
    {
        output.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20)
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        output.Append(c);
                    break;
            }
        }

        output.Append('"');
    }

    /// <summary>jsoniter stream_float.go WriteFloat64Lossy.</summary>
    public static string FormatFloat64Lossy(double value)
    {
        var sign = "";
        if (value < 0)
        {
            sign = "-";
            value = -value;
        }

        if (value > 0x4ffffff)
            return sign + FormatFloat64(value);
        const ulong scale = 1_000_000;
        var scaled = (ulong)(value * scale + 0.5);
        var text = new StringBuilder(sign).Append((scaled / scale).ToString(CultureInfo.InvariantCulture));
        var fraction = scaled % scale;
        if (fraction == 0)
            return text.ToString();
        text.Append('.').Append(fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
        return text.ToString();
    }

    // jsoniter WriteFloat64: strconv 'f' shortest, or 'e' when >= 1e21 (with e-09 cleaned to e-9).
    private static string FormatFloat64(double value)
    {
        if (value >= 1e21)
        {
            var e = value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
            return e.Replace("e+0", "e+", StringComparison.Ordinal);
        }

        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        if (!shortest.Contains('E', StringComparison.Ordinal))
            return shortest;
        return decimal.Parse(shortest, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }
}
