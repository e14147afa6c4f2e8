using System.Net.Http.Headers;
using System.Text.Json;
using Fuzz.Generators;

namespace Fuzz.Run;

/// <summary>
/// What the system holds, read as an admin through each app's API: catalog resources and their slots, the
/// availability of every slot, the seeded holds, every order, every payment. One entry per thing, compared as JSON.
/// </summary>
public sealed class StateSnapshot
{
    private StateSnapshot(SortedDictionary<string, string> entries, DateTimeOffset takenAt)
    {
        Entries = entries;
        TakenAt = takenAt;
    }

    public SortedDictionary<string, string> Entries { get; }

    public DateTimeOffset TakenAt { get; }

    public static async Task<StateSnapshot> TakeAsync(SystemUnderTest system, Credentials credentials, IdPool ids, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AdminToken);
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var takenAt = DateTimeOffset.UtcNow;
        Uri At(string app, string path) => new(system.Direct[app], path);

        var slots = new SortedSet<string>(ids.Real(IdPool.Slots), StringComparer.Ordinal);
        foreach (var resource in await ArrayAsync(http, At("catalog", "resources"), cancel))
        {
            var id = resource.GetProperty("id").GetString()!;
            entries[$"catalog resource {id}"] = resource.GetRawText();
            foreach (var slot in await ArrayAsync(http, At("catalog", $"resources/{id}/slots"), cancel))
            {
                var slotId = slot.GetProperty("id").GetString()!;
                entries[$"catalog slot {slotId}"] = slot.GetRawText();
                slots.Add(slotId);
            }
        }

        foreach (var slotId in slots)
            entries[$"availability {slotId}"] = await TextAsync(http, At("reservation", $"slots/{slotId}/availability"), cancel);
        foreach (var holdId in ids.Real(IdPool.Holds))
            entries[$"hold {holdId}"] = await TextAsync(http, At("reservation", $"holds/{holdId}"), cancel);
        foreach (var order in await ArrayAsync(http, At("ordering", "admin/orders"), cancel))
            entries[$"order {order.GetProperty("id").GetString()}"] = order.GetRawText();
        foreach (var payment in await ArrayAsync(http, At("payment", "admin/payments?limit=500"), cancel))
            entries[$"payment {payment.GetProperty("orderId").GetString()}"] = payment.GetRawText();
        return new StateSnapshot(entries, takenAt);
    }

    /// <summary>Snapshots until two in a row agree: asynchronous work (the saga, the outbox, pub/sub) has settled.</summary>
    public static async Task<StateSnapshot> SettledAsync(SystemUnderTest system, Credentials credentials, IdPool ids, CancellationToken cancel)
    {
        var previous = await TakeAsync(system, credentials, ids, cancel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancel);
            var next = await TakeAsync(system, credentials, ids, cancel);
            if (next.DifferencesFrom(previous).Count == 0 || DateTime.UtcNow > deadline)
                return next;
            previous = next;
        }
    }

    /// <summary>Every entry added, removed or changed since <paramref name="before"/>, as lines for the report.</summary>
    public IReadOnlyList<string> DifferencesFrom(StateSnapshot before)
    {
        var lines = new List<string>();
        foreach (var (key, value) in Entries)
        {
            if (!before.Entries.TryGetValue(key, out var old))
                lines.Add($"added   {key}: {Clip(value)}");
            else if (old != value)
                lines.Add($"changed {key}:\n          before {Clip(old)}\n          after  {Clip(value)}");
        }

        lines.AddRange(before.Entries.Keys.Where(k => !Entries.ContainsKey(k)).Select(k => $"removed {k}: {Clip(before.Entries[k])}"));
        return lines;
    }

    private static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private static async Task<JsonElement[]> ArrayAsync(HttpClient http, Uri uri, CancellationToken cancel)
    {
        var text = await TextAsync(http, uri, cancel);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())]
            : throw new InvalidOperationException($"GET {uri} did not answer a JSON array: {Clip(text)}");
    }

    private static async Task<string> TextAsync(HttpClient http, Uri uri, CancellationToken cancel)
    {
        using var response = await http.GetAsync(uri, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        return response.IsSuccessStatusCode ? text : $"{(int)response.StatusCode} {Strip(text)}";
    }

    // A problem document carries a fresh traceId per request: keep only what says what the state is.
    private static string Strip(string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return problem;
        }
    }
}
