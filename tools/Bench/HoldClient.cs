using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bench;

/// <summary>The outcome classes of one attempt.</summary>
public enum Outcome
{
    /// <summary>201: a hold was placed.</summary>
    Succeeded,

    /// <summary>409 reason sold-out.</summary>
    SoldOut,

    /// <summary>503 (contention budget spent) or 429 for any reason but a customer cap.</summary>
    Busy,

    /// <summary>409 customer-limit / 429 customer-total-limit: the bench's buyers are sized never to hit these.</summary>
    Limited,

    /// <summary>Anything else, timeouts and connection failures included.</summary>
    Error,
}

/// <summary>Calls into the reservation service through the tester's sidecar, as a frontend would.</summary>
public static class HoldClient
{
    public static async Task<Outcome> HoldAsync(HttpClient api, string slotId, Customers.Block customers, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "holds") { Content = JsonContent.Create(new { slotId, quantity = 1 }) };
        request.Headers.Authorization = customers.Bearer(n);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await api.SendAsync(request);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => Outcome.Succeeded,
            HttpStatusCode.Conflict => await ReasonAsync(response) == "sold-out" ? Outcome.SoldOut : Outcome.Limited,
            HttpStatusCode.TooManyRequests => await ReasonAsync(response) == "customer-total-limit" ? Outcome.Limited : Outcome.Busy,
            HttpStatusCode.ServiceUnavailable => Outcome.Busy,
            _ => Outcome.Error,
        };
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage response)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The service's own count of one slot (GET /slots/{id}/availability).</summary>
    public sealed record Availability(long Capacity, long Booked, long Held, long Available)
    {
        public long Over => Math.Max(0, Booked + Held - Capacity);
    }

    public static async Task<Availability> AvailabilityAsync(HttpClient admin, string slotId, CancellationToken ct = default)
    {
        var a = await admin.GetFromJsonAsync<JsonElement>($"slots/{slotId}/availability", ct);
        return new Availability(a.GetProperty("capacity").GetInt64(), a.GetProperty("booked").GetInt64(),
            a.GetProperty("held").GetInt64(), a.GetProperty("available").GetInt64());
    }

    public static async Task<Availability[]> AvailabilityAsync(HttpClient admin, IReadOnlyList<string> slots)
    {
        var result = new Availability[slots.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, slots.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => result[i] = await AvailabilityAsync(admin, slots[i], ct));
        return result;
    }

    /// <summary>The service's contention counters (GET /admin/stats), summed over the instances given.</summary>
    public sealed record Stats(long Conflicts, long LockBusy, long Exhausted, long Writes)
    {
        public static Stats operator -(Stats a, Stats b) =>
            new(a.Conflicts - b.Conflicts, a.LockBusy - b.LockBusy, a.Exhausted - b.Exhausted, a.Writes - b.Writes);

        public static Stats operator +(Stats a, Stats b) =>
            new(a.Conflicts + b.Conflicts, a.LockBusy + b.LockBusy, a.Exhausted + b.Exhausted, a.Writes + b.Writes);
    }

    public static async Task<Stats> StatsAsync(IEnumerable<HttpClient> admins)
    {
        var sum = new Stats(0, 0, 0, 0);
        foreach (var admin in admins)
        {
            var s = await admin.GetFromJsonAsync<JsonElement>("admin/stats");
            long Get(string name) => s.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
            sum += new Stats(Get("conflicts"), Get("lockBusy"), Get("exhausted"), Get("writes"));
        }

        return sum;
    }
}
