using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>Marks an endpoint that only the app's own Dapr sidecar may call (beyond the ones found automatically).</summary>
public sealed class SidecarOnlyMetadata
{
    public static readonly SidecarOnlyMetadata Instance = new();

    private SidecarOnlyMetadata()
    {
    }
}

/// <summary>
/// Routes only a sidecar may call answer 401 unless the request carries the app token (<see cref="AppApiToken"/>):
/// every pub/sub subscription route (endpoints with Dapr topic metadata), everything under <c>/dapr/</c>
/// (subscribe, config) and <c>/actors/</c>, and endpoints marked <see cref="SidecarOnlyMetadata"/>. One filter for
/// every service, so a new subscription is guarded without anyone remembering to.
/// </summary>
public static class SidecarOnlyRoutes
{
    public static TBuilder SidecarOnly<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SidecarOnlyMetadata.Instance);

    /// <summary>Whether a request to this path and endpoint must come from the sidecar.</summary>
    public static bool Applies(PathString path, Endpoint? endpoint) =>
        path.StartsWithSegments("/dapr", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/actors", StringComparison.OrdinalIgnoreCase)
        || endpoint?.Metadata.GetMetadata<ITopicMetadata>() is not null
        || endpoint?.Metadata.GetMetadata<SidecarOnlyMetadata>() is not null;

    /// <summary>Runs after routing has chosen the endpoint (WebApplication routes before the first middleware).</summary>
    public static WebApplication UseSidecarOnlyRoutes(this WebApplication app)
    {
        var token = app.Services.GetRequiredService<AppApiToken>();
        app.Use(async (context, next) =>
        {
            if (!Applies(context.Request.Path, context.GetEndpoint()) || token.IsPresentedBy(context.Request))
            {
                await next(context);
                return;
            }

            await Results.Problem(
                    "Only this app's Dapr sidecar may call this route (dapr-api-token).",
                    statusCode: StatusCodes.Status401Unauthorized, title: "Sidecar only")
                .ExecuteAsync(context);
        });
        return app;
    }
}
