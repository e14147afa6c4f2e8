using DaprReservations.BuildingBlocks.Topology;

namespace DaprReservations.BuildingBlocks.Edge;

/// <summary>One public operation: an HTTP method and the route template exactly as the service maps it.</summary>
public sealed record PublicRoute(string Method, string Template);

/// <summary>
/// The routes marked <see cref="PublicApiExtensions.PublicAtEdge{TBuilder}"/> in each service, per app id: what the
/// web app forwards (and nothing else). tests/Security.Tests/PublicRoutesTests.cs fails, printing the table to paste,
/// when a service's marked endpoints and this table differ; the mesh's accessControl (components/config) allows the
/// web app exactly these operations.
/// </summary>
public static class PublicRoutes
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<PublicRoute>> ByApp =
        new Dictionary<string, IReadOnlyList<PublicRoute>>(StringComparer.Ordinal)
        {
            [AppIds.Catalog] =
            [
                new("GET", "/resources"),
                new("GET", "/resources/{id:guid}"),
                new("GET", "/resources/{id:guid}/slots"),
                new("GET", "/slots/{id:guid}"),
                new("POST", "/admin/resources"),
                new("PUT", "/admin/resources/{id:guid}"),
                new("POST", "/admin/resources/{id:guid}/slots"),
                new("PUT", "/admin/slots/{id:guid}"),
                new("DELETE", "/admin/slots/{id:guid}"),
            ],
            [AppIds.Reservation] =
            [
                new("POST", "/holds"),
                new("GET", "/holds/{holdId}"),
                new("DELETE", "/holds/{holdId}"),
                new("GET", "/slots/{slotId}/availability"),
                new("POST", "/admin/slots/{slotId}/reconcile"),
                new("POST", "/admin/sweep"),
                new("GET", "/admin/stats"),
            ],
            [AppIds.Ordering] =
            [
                new("POST", "/orders"),
                new("GET", "/orders"),
                new("GET", "/orders/{orderId}"),
                new("POST", "/orders/{orderId}/pay"),
                new("POST", "/orders/{orderId}/cancel"),
                new("GET", "/admin/orders"),
                new("POST", "/admin/sweep"),
            ],
        };
}
