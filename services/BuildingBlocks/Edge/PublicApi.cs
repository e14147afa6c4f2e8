using Microsoft.AspNetCore.Builder;

namespace DaprReservations.BuildingBlocks.Edge;

/// <summary>
/// Marks an endpoint as part of the public API: the one thing the web app's edge forwards from a browser. Every other
/// route of a service (internal saga steps, subscription routes, Dapr's own routes) is unreachable from the edge.
/// The marker is the single source; <see cref="PublicRoutes"/> is its compiled form for the web app, kept equal to
/// the services' endpoint data sources by tests/Security.Tests/PublicRoutesTests.cs.
/// </summary>
public sealed class PublicApiMetadata
{
    public static readonly PublicApiMetadata Instance = new();

    private PublicApiMetadata()
    {
    }
}

public static class PublicApiExtensions
{
    /// <summary>The edge may forward this endpoint (or every endpoint of this group) to browsers.</summary>
    public static TBuilder PublicAtEdge<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(PublicApiMetadata.Instance);
}
