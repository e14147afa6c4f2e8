using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LocalSidecar.State;

/// <summary>
/// What daprd does to an HTTP state value: Go <c>encoding/json</c> decodes it into <c>any</c>, then contrib re-encodes it
/// with jsoniter ConfigFastest (compact, no HTML escaping, numbers as float64 with 6-decimal lossy formatting).
/// Deliberate difference: object keys keep their order here (Go's map order is random, so no client can rely on it).
/// </summary>
public static class StateJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Reencode(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            Write(writer, value);
        return buffer.ToArray();
    }

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

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(FormatFloat(value.GetDouble()), skipInputValidation: true);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>jsoniter's WriteFloat64Lossy: up to 6 decimals below 0x4ffffff, else strconv 'f' (or 'e' outside [1e-6, 1e21)).</summary>
    public static string FormatFloat(double value)
    {
        var sign = value < 0 ? "-" : "";
        var abs = Math.Abs(value);
        if (abs > 0x4ffffff)
        {
            if (abs >= 1e21)
                return sign + abs.ToString("0.################e+0", CultureInfo.InvariantCulture);
            return sign + abs.ToString("R", CultureInfo.InvariantCulture) switch
            {
                var r when r.Contains('E', StringComparison.Ordinal) => abs.ToString("F0", CultureInfo.InvariantCulture),
                var r => r,
            };
        }

        var scaled = (ulong)(abs * 1_000_000 + 0.5);
        var whole = (scaled / 1_000_000).ToString(CultureInfo.InvariantCulture);
        var fraction = scaled % 1_000_000;
        if (fraction == 0)
            return sign + whole;
        return sign + whole + "." + fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
