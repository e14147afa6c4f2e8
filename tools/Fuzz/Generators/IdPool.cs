namespace Fuzz.Generators;

/// <summary>
/// Ids of what the fuzzer seeded, by kind, so requests reach past "not found" into the code that handles real
/// resources; and fake ids, which name nothing (the fuzzer's way to make a write with real credentials harmless).
/// </summary>
public sealed class IdPool
{
    private readonly Dictionary<string, List<string>> _real = new(StringComparer.Ordinal);

    public const string Resources = "resources";
    public const string Slots = "slots";
    public const string Holds = "holds";
    public const string Orders = "orders";

    public void Add(string kind, string id)
    {
        if (!_real.TryGetValue(kind, out var list))
            _real[kind] = list = [];
        list.Add(id);
    }

    public IReadOnlyList<string> Real(string kind) => _real.TryGetValue(kind, out var list) ? list : [];

    public IEnumerable<string> AllReal => _real.Values.SelectMany(v => v);

    public bool IsReal(string id) => _real.Values.Any(list => list.Contains(id, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The kind of id a path parameter or body property names: the segment before <c>{id}</c>
    /// (<c>/slots/{id}</c>), or the name itself (<c>holdId</c>, <c>holdIds</c>, <c>orderId</c>).
    /// </summary>
    public static string? KindOf(string name, string? previousSegment = null)
    {
        var lower = name.ToLowerInvariant();
        if (lower is "id" or "ids" && previousSegment is not null)
            lower = previousSegment.TrimEnd('s') + "id";
        return lower switch
        {
            "holdid" or "holdids" => Holds,
            "slotid" or "slotids" => Slots,
            "resourceid" or "resourceids" => Resources,
            "orderid" or "orderids" => Orders,
            _ when lower.EndsWith("id", StringComparison.Ordinal) || lower.EndsWith("ids", StringComparison.Ordinal) => "",
            _ => null,
        };
    }

    /// <summary>A real id of that kind (any real id for an unknown kind), or null when none was seeded.</summary>
    public string? PickReal(Random random, string? kind)
    {
        var list = string.IsNullOrEmpty(kind) ? AllReal.ToList() : Real(kind);
        return list.Count == 0 ? null : list[random.Next(list.Count)];
    }

    /// <summary>An id that names nothing: well-formed (so validation passes and lookups miss) or malformed.</summary>
    public string Fake(Random random) => random.Next(4) switch
    {
        0 => new Guid(Bytes(random, 16)).ToString("N"),
        1 => "fuzz" + random.NextInt64().ToString("x", System.Globalization.CultureInfo.InvariantCulture),
        2 => new Guid(Bytes(random, 16)).ToString(),
        _ => random.Pick(Nasty.Strings),
    };

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
