using System.Globalization;
using System.Text;
using Fuzz.Api;
using Fuzz.Http;

namespace Fuzz.Generators;

/// <summary>How a body is broken on purpose: each of these makes every JSON endpoint refuse it before acting.</summary>
public enum BodyBreak
{
    None,
    Malformed,
    WrongKind,
    Overflow,
    LoneSurrogate,
    InvalidUtf8,
    NotAnObject,
}

/// <summary>
/// JSON bodies from an operation's schema: plausible in shape, odd in content (nasty strings, edge numbers, extra
/// and re-cased properties), and, when asked, broken in one way a binder must refuse (<see cref="BodyBreak"/>).
/// </summary>
public sealed class JsonBodies(Random random, IdPool ids, bool realIds)
{
    private const string InvalidUtf8Marker = "INVALIDUTF8MARKER";

    /// <summary>The breaks a schema allows (each needs a property of the right kind to land on).</summary>
    public static IReadOnlyList<BodyBreak> BreaksFor(Schema schema)
    {
        var breaks = new List<BodyBreak> { BodyBreak.Malformed, BodyBreak.NotAnObject };
        var leaves = Leaves(schema).ToList();
        if (leaves.Count > 0)
            breaks.Add(BodyBreak.WrongKind);
        if (leaves.Any(l => l.Schema.Type is "integer" or "number"))
            breaks.Add(BodyBreak.Overflow);
        if (leaves.Any(l => l.Schema.Type == "string" || l.Schema.Items?.Type == "string"))
        {
            breaks.Add(BodyBreak.LoneSurrogate);
            breaks.Add(BodyBreak.InvalidUtf8);
        }

        return breaks;
    }

    public byte[] Make(Schema schema, BodyBreak breakage, List<string> recipe)
    {
        if (breakage == BodyBreak.NotAnObject)
        {
            recipe.Add("body:not-an-object");
            return Utf8.Wtf8(random.Pick(["[]", "42", "\"text\"", "true", "[{}]", "-0"]));
        }

        // The one property that carries the break (a leaf of the right kind), chosen before the document is written.
        var leaves = Leaves(schema).ToList();
        var target = breakage switch
        {
            BodyBreak.WrongKind => leaves.Count > 0 ? random.Pick(leaves) : null,
            BodyBreak.Overflow => Choose(leaves.Where(l => l.Schema.Type is "integer" or "number")),
            BodyBreak.LoneSurrogate or BodyBreak.InvalidUtf8 => Choose(leaves.Where(l => l.Schema.Type == "string" || l.Schema.Items?.Type == "string")),
            _ => null,
        };
        string? Override(Leaf leaf)
        {
            if (target is null || leaf.Path != target.Path)
                return null;
            var scalar = leaf.Schema.Items ?? leaf.Schema;
            var token = breakage switch
            {
                BodyBreak.WrongKind => random.Pick(Nasty.WrongKind(leaf.Schema.Type)),
                BodyBreak.Overflow => random.Pick(Nasty.Overflowing),
                BodyBreak.LoneSurrogate => Utf8.JsonString(random.Pick(["\ud800", "\udc00", "a\ud800", "\udfff\ud800", "🎟\udc00x"])),
                _ => Utf8.JsonString("x" + InvalidUtf8Marker),
            };
            recipe.Add($"body:{Name(breakage)}@{leaf.Path}");
            return leaf.Schema.Items is not null && breakage != BodyBreak.WrongKind ? $"[{token}]" : token;
        }

        var json = Value(schema, "", 0, Override, recipe);
        if (breakage == BodyBreak.Malformed)
            json = Malform(json, recipe);
        else if (random.Chance(0.1))
            json = Decorate(json, recipe);
        var bytes = Utf8.Wtf8(json);
        return breakage == BodyBreak.InvalidUtf8 ? ReplaceMarker(bytes) : bytes;
    }

    private sealed record Leaf(string Path, Schema Schema);

    private static IEnumerable<Leaf> Leaves(Schema schema, string path = "")
    {
        foreach (var (name, property) in schema.Properties)
        {
            var here = path.Length == 0 ? name : path + "." + name;
            if (property.IsObject)
            {
                foreach (var leaf in Leaves(property, here))
                    yield return leaf;
            }
            else
            {
                yield return new Leaf(here, property);
            }
        }
    }

    private Leaf? Choose(IEnumerable<Leaf> leaves)
    {
        var list = leaves.ToList();
        return list.Count == 0 ? null : random.Pick(list);
    }

    private string Value(Schema schema, string path, int depth, Func<Leaf, string?> overrideLeaf, List<string> recipe)
    {
        if (schema.IsObject && depth < 6)
        {
            var members = new List<string>();
            foreach (var (name, property) in schema.Properties)
            {
                var here = path.Length == 0 ? name : path + "." + name;
                var forced = property.IsObject ? null : overrideLeaf(new Leaf(here, property));
                if (forced is null && random.Chance(0.08))
                    continue; // a missing property: the endpoint must say which one it needs
                var key = random.Chance(0.05) ? name.ToUpperInvariant() : name;
                members.Add($"{Utf8.JsonString(key)}:{forced ?? Value(property, here, depth + 1, overrideLeaf, recipe)}");
            }

            if (random.Chance(0.15))
                members.Add(random.Pick(["\"$type\":\"x\"", "\"$id\":\"1\"", "\"$ref\":\"1\"", "\"__proto__\":{\"admin\":true}",
                    "\"unknown\":[1,2,3]", "\"customerId\":\"someone-else\"", $"{Utf8.JsonString(Nasty.LoneHigh)}:1"]));
            return "{" + string.Join(",", members) + "}";
        }

        if (schema.Type == "array" || schema.Items is not null)
        {
            var count = random.Next(0, 4);
            return "[" + string.Join(",", Enumerable.Range(0, count).Select(_ => Value(schema.Items ?? Schema.Any, path, depth + 1, overrideLeaf, recipe))) + "]";
        }

        return Scalar(schema, path);
    }

    private string Scalar(Schema schema, string path)
    {
        var name = path.Split('.')[^1];
        if (random.Chance(0.04))
            return "null";
        switch (schema.Type)
        {
            case "integer" or "number":
                return random.Chance(0.35) ? random.Pick(Nasty.Numbers) : random.Next(0, 6).ToString(CultureInfo.InvariantCulture);
            case "boolean":
                return random.Chance(0.5) ? "true" : "false";
            case "string" when schema.Format == "date-time":
                return Utf8.JsonString(random.Chance(0.2) ? random.Pick(Nasty.Strings)
                    : DateTimeOffset.UtcNow.Date.AddDays(random.Next(-3, 40)).AddHours(random.Next(24)).ToString("O", CultureInfo.InvariantCulture));
            case "string" when IdPool.KindOf(name) is { } kind:
                return Utf8.JsonString(realIds && random.Chance(0.6) && ids.PickReal(random, kind) is { } real ? real : ids.Fake(random));
            case "string" when schema.Enum.Count > 0 && random.Chance(0.5):
                return Utf8.JsonString(random.Pick(schema.Enum));
            case "string":
                return Utf8.JsonString(random.Chance(0.6) ? random.Pick(Nasty.Strings) : "fuzz " + random.Next(1000));
            default:
                return random.Chance(0.5) ? Utf8.JsonString(random.Pick(Nasty.Strings)) : random.Pick(Nasty.Numbers);
        }
    }

    /// <summary>Text that is no JSON document at all (every parser must refuse it).</summary>
    private string Malform(string json, List<string> recipe)
    {
        var (kind, text) = random.Next(9) switch
        {
            0 => ("truncated", json[..random.Next(1, Math.Max(2, json.Length - 1))]),
            1 => ("trailing", json + random.Pick(["}", "]", ",", "x", "{}"])),
            2 => ("equals", json.Contains(':', StringComparison.Ordinal) ? json.Replace(":", "=", StringComparison.Ordinal) : "{=}"),
            3 => ("trailing-comma", json.Length > 2 ? json[..^1] + ",}" : "{,}"),
            4 => ("comment", "/*c*/" + json),
            5 => ("single-quotes", json.Replace('"', '\'')),
            6 => ("bare-nan", "{\"a\":NaN}"),
            7 => ("deep", new string('[', 5000) + new string(']', 5000)),
            _ => ("nul", "\0" + json),
        };
        recipe.Add("body:malformed:" + kind);
        return Parses(text) ? "{\"a\":" : text; // e.g. quotes swapped in a document that had none: still JSON
    }

    private static bool Parses(string text)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(Utf8.Wtf8(text)); // the bytes that will be sent
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Still JSON, oddly written: BOM, padding, escaped property names.</summary>
    private string Decorate(string json, List<string> recipe)
    {
        var (kind, text) = random.Next(3) switch
        {
            0 => ("bom", "\uFEFF" + json),
            1 => ("padding", new string(' ', 10_000) + json + "\r\n\t"),
            _ => ("escaped-names", json.Replace("\"q", "\"\\u0071", StringComparison.Ordinal)),
        };
        recipe.Add("body:" + kind);
        return text;
    }

    private static byte[] ReplaceMarker(byte[] bytes)
    {
        var marker = Encoding.UTF8.GetBytes(InvalidUtf8Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        if (at < 0)
            return bytes;
        byte[] invalid = [0xFF, 0xC0, 0xAF, 0xED, 0xA0, 0x80];
        return [.. bytes.AsSpan(0, at), .. invalid, .. bytes.AsSpan(at + marker.Length)];
    }

    private static string Name(BodyBreak breakage) => breakage switch
    {
        BodyBreak.WrongKind => "wrong-kind",
        BodyBreak.Overflow => "overflow",
        BodyBreak.LoneSurrogate => "lone-surrogate",
        BodyBreak.InvalidUtf8 => "invalid-utf8",
        _ => breakage.ToString().ToLowerInvariant(),
    };
}
