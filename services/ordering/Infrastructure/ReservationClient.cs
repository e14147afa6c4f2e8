using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Client;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Topology;

namespace Ordering.Infrastructure;

public sealed record HoldView(string HoldId, string SlotId, int Quantity, DateTimeOffset ExpiresAt, string Status, string? CustomerId);

public abstract record ConfirmAnswer
{
    public sealed record Confirmed : ConfirmAnswer;

    /// <summary>The reservation service refused for good: expired, released, revoked, no-capacity, unknown.</summary>
    public sealed record Refused(string Reason) : ConfirmAnswer;
}

/// <summary>
/// The reservation service, called through the Dapr sidecar (service invocation). Ordering calls as an internal
/// caller (no user token): it checks a hold's owner itself before it accepts the hold into an order.
/// </summary>
public sealed class ReservationClient(HttpClient http)
{
    public static HttpClient CreateHttpClient(DaprClient dapr) => dapr.CreateInvokableHttpClient(AppIds.Reservation);

    public async Task<HoldView?> GetHoldAsync(string holdId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"holds/{Uri.EscapeDataString(holdId)}", ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            return null;
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<HoldView>(DaprReservationsJson.Options, ct);
    }

    /// <summary>Idempotent: confirming a confirmed hold answers Confirmed again. Throws on anything transient.</summary>
    public async Task<ConfirmAnswer> ConfirmAsync(string holdId, CancellationToken ct)
    {
        using var response = await http.PostAsync($"holds/{Uri.EscapeDataString(holdId)}/confirm", content: null, ct);
        if (response.IsSuccessStatusCode)
            return new ConfirmAnswer.Confirmed();
        if (response.StatusCode == HttpStatusCode.NotFound)
            return new ConfirmAnswer.Refused("unknown");
        if (response.StatusCode == HttpStatusCode.Conflict)
            return new ConfirmAnswer.Refused(await ReasonAsync(response, ct) ?? "refused");
        await EnsureSuccessAsync(response, ct);
        throw new InvalidOperationException("unreachable");
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return problem.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw new HttpRequestException(
            $"reservation answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", null, response.StatusCode);
    }
}

/// <summary>Unit prices from the catalog (service invocation; the catalog serves them from its cache).</summary>
public sealed class CatalogPrices(HttpClient http)
{
    public static HttpClient CreateHttpClient(DaprClient dapr) => dapr.CreateInvokableHttpClient(AppIds.Catalog);

    public async Task<decimal?> UnitPriceAsync(string slotId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"slots/{Uri.EscapeDataString(slotId)}", ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            return null;
        response.EnsureSuccessStatusCode();
        var slot = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return slot.TryGetProperty("price", out var price) ? price.GetDecimal() : null;
    }
}
