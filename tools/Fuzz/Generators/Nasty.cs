namespace Fuzz.Generators;

/// <summary>The raw material: strings, numbers, ids and header values that have broken servers before.</summary>
public static class Nasty
{
    public const string LoneHigh = "\ud800";
    public const string LoneLow = "\udc00";
    public static readonly string HundredKb = new('A', 100 * 1024);
    public static readonly string HundredKbEmoji = string.Concat(Enumerable.Repeat("🎟️", 100 * 1024 / 7));

    /// <summary>Text values: each is a well-formed JSON string once escaped, but odd for a server.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "   \t", "a", "null", "undefined", "true", "0", "-1", "NaN", "Infinity", "1e400",
        "🎟️🔥👨‍👩‍👧", "예약 좌석", "ǅ", "ﬀ", "\u202Eevil", "\u200B", "\uFEFFbom", "\uFFFF", "\U0010FFFF",
        "\u0000", "\u0001\u0002\u001f\u007f", "line\r\nbreak", "tab\tin", "\u0085\u2028\u2029",
        LoneHigh, LoneLow, "a" + LoneHigh + "b", LoneLow + LoneHigh, "🎟" + LoneHigh,
        "'", "\"", "\\", "' OR '1'='1' --", "\"; DROP TABLE slots; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}",
        "%s%s%n", "{0}", "../../etc/passwd", "..", ".", "/", "a/b", "%2F", "%00", "%ED%A0%80", "?a=b", "#frag",
        "room", "event", "ROOM", "pending", "captured", HundredKb, HundredKbEmoji, new string('é', 5000),
    ];

    /// <summary>Raw JSON number tokens (and number-like strings) that overflow, underflow or are not numbers.</summary>
    public static readonly string[] Numbers =
    [
        "1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648",
        "-2147483649", "79228162514264337593543950336", "1" + new string('0', 400), "-0", "-0.0", "0", "1", "-1",
        "1.5", "0.001", "1e-400", "4.9e-324", "1E2", "0e0", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"",
        "\"9223372036854775808\"", "\"0x10\"", "\" 1\"", "\"１\"", "\"\"", "\"-0\"",
    ];

    /// <summary>Number tokens no integer or decimal property can hold: binding them must fail.</summary>
    public static readonly string[] Overflowing =
    [
        "1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "79228162514264337593543950336", "1" + new string('0', 400), "\"1e400\"", "\"9223372036854775808\"",
    ];

    /// <summary>Values of a different JSON kind per schema type (what System.Text.Json refuses to bind).</summary>
    public static string[] WrongKind(string? type) => type switch
    {
        "string" => ["42", "-0", "true", "{}", "[]", "[\"a\"]", "{\"a\":1}"],
        "integer" or "number" => ["\"abc\"", "true", "{}", "[]", "\"NaN\"", "\"1,5\"", "[1]"],
        "boolean" => ["\"yes\"", "2", "{}", "[]"],
        "array" => ["\"a\"", "42", "{}", "true"],
        _ => ["\"a\"", "42", "[]", "true"],
    };

    /// <summary>Path segments and ids that are not ids (already in request-target form).</summary>
    public static readonly string[] BadIds =
    [
        "", "%20", "'", "%22", "\"", "a%2Fb", "%2F", "..", ".", "%2e%2e", "..%2F..%2Fadmin", "%2e", "a/../b", "//",
        "%00", "%0A", "%0D%0A", "%ED%A0%80", "%F0%9F%8E%9F", "%FF", "%", "%zz", "%25", "+", "nul", "-", "_",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "not-a-guid",
        "%7B%22a%22%3A1%7D", "%3Cscript%3E", "~", "*", "%2A", "a;b", "a,b", "a@b", "x" + new string('y', 70),
        new string('z', 9000), "%E2%80%AE", "%C0%AE%C0%AE", "\\", "a%5Cb",
    ];

    /// <summary>Idempotency-Key, If-Match and similar values: non-ASCII, control bytes, oversized.</summary>
    public static readonly string[] HeaderValues =
    [
        "", " ", "키", "🎟️", "é", "\u0001", "a\u007fb", "\u00ff", "\ud800", new string('k', 129), new string('k', 8 * 1024),
        new string('k', 40 * 1024), "\"", "\"\"", "*", "W/\"1\"", "\"9223372036854775808\"", ",,,", "\"1\", \"2\"",
        "${jndi:x}", "%00", "a\tb",
    ];

    /// <summary>If-Match values that can never match a current version (the precondition must refuse the write).</summary>
    public static readonly string[] StaleIfMatch =
    [
        "\"fuzz\"", "W/\"1\"", "\"999999999\"", "\"9223372036854775808\"", "\"-1\"", "garbage", "\"\"", "\"1",
        "\"999999998\", \"999999999\"", "키", "\"🎟️\"", new string('x', 8 * 1024),
    ];

    public static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=foo",
        "application/json; charset=\"utf-8\"", "application/json;charset=", "application/json; charset=utf-16",
        "application/json; charset=latin1", "application/json; charset=utf-8; charset=foo", "text/plain",
        "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*",
        "application/cloudevents+json", "application/cloudevents+json; charset=foo", "application/cloudevents-batch+json",
        "application/problem+json", "application/json\u00e9", "}{", "application/", new string('a', 5000) + "/json",
        "application/json; charset=\ud800", "APPLICATION/JSON", "application/merge-patch+json",
    ];

    /// <summary>
    /// Content types every JSON endpoint must refuse (415). Not latin1 or utf-16: .NET decodes those, and an ASCII JSON
    /// body decoded as latin1 is the same document.
    /// </summary>
    public static readonly string[] RefusedContentTypes =
    [
        "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/json; charset=foo", "application/json; charset=\"utf-8\"", "}{", "image/png",
    ];

    public static readonly string[] OddMethods = ["CONNECT", "TRACE", "PROPFIND", "PATCH", "OPTIONS", "HEAD", "MKCOL", "FOO", "get", "PUT", "DELETE", "POST"];

    public static T Pick<T>(this Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;
}
