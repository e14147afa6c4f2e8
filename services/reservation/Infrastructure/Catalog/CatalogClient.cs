using System.Net;
using System.Text.Json;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;

namespace Reservation.Infrastructure.Catalog;

/// <summary>Asks the catalog (through the sidecar, service invocation) how many a slot can take.</summary>
public sealed class CatalogClient(HttpClient http)
{
    public static HttpClient CreateHttpClient(DaprClient dapr) => dapr.CreateInvokableHttpClient(AppIds.Catalog);

    /// <summary>The slot's capacity, or null when the catalog does not know the slot.</summary>
    public async Task<int?> GetCapacityAsync(string slotId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"slots/{Uri.EscapeDataString(slotId)}", cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            return null;
        response.EnsureSuccessStatusCode();

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, "capacity", StringComparison.OrdinalIgnoreCase) && property.Value.TryGetInt32(out var capacity))
                return capacity;
        }

        throw new InvalidOperationException($"The catalog's slot {slotId} has no capacity.");
    }
}
