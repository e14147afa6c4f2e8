using Fuzz.Api;

namespace Fuzz.Generators;

public enum RouteKind
{
    /// <summary>An operation of the app's OpenAPI document.</summary>
    Operation,

    /// <summary>A pub/sub subscription route (CloudEvents), listed by the app's <c>/dapr/subscribe</c>.</summary>
    Subscription,

    /// <summary>Actor calls a sidecar makes (<c>/actors/...</c>).</summary>
    Actor,

    /// <summary><c>/dapr/subscribe</c>, <c>/dapr/config</c>, health.</summary>
    Infrastructure,
}

/// <summary>
/// One place requests go: an operation through the edge (<c>/api/{app}</c> on the web app) or at the app's own port,
/// or a sidecar-only route at the app's port. <see cref="Name"/> is its row in the report.
/// </summary>
public sealed record FuzzRoute(string Name, string App, bool ViaEdge, Uri Base, RouteKind Kind, ApiOperation Operation, string? Topic = null)
{
    public string Prefix => ViaEdge && App != "web" ? $"/api/{App}" : "";

    public static FuzzRoute ForOperation(ApiOperation operation, bool viaEdge, Uri baseUri) =>
        new($"{(viaEdge ? "edge" : "direct")} {operation.App} {operation.Method} {operation.Path}", operation.App, viaEdge, baseUri,
            RouteKind.Operation, operation);

    /// <summary>A sidecar-only route; a subscription is named as a delivery (its route may also be an OpenAPI operation).</summary>
    public static FuzzRoute ForSidecarOnly(string app, Uri baseUri, RouteKind kind, string method, string path, string? topic = null) =>
        new($"direct {app} {method} {path}{(kind == RouteKind.Subscription ? $" (delivery of {topic})" : "")}", app, ViaEdge: false,
            baseUri, kind, new ApiOperation(app, method, path, [], null), topic);
}
