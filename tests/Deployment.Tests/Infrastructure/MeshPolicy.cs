using DaprReservations.BuildingBlocks.Edge;
using DaprReservations.BuildingBlocks.Topology;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>One service invocation: <paramref name="Caller"/>'s sidecar calls <paramref name="Verb"/> <paramref name="Path"/> on
/// <paramref name="Callee"/> (the path as the callee's app sees it; <c>{x}</c> stands for one segment).</summary>
public sealed record Invocation(string Caller, string Callee, string Verb, string Path)
{
    public override string ToString() => $"{Caller} → {Callee}: {Verb} {Path}";

    /// <summary>True when <paramref name="call"/> (a concrete path) is an instance of this template.</summary>
    public bool Matches(Invocation call) => Matches(call.Caller, call.Callee, call.Verb, call.Path);

    public bool Matches(string caller, string callee, string verb, string path)
    {
        if (caller != Caller || callee != Callee || verb != Verb) return false;
        var template = Path.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        return template.Length == actual.Length
            && template.Zip(actual).All(p => p.First.StartsWith('{') ? p.Second.Length > 0 : p.First == p.Second);
    }
}

/// <summary>A call daprd lets through beyond <see cref="MeshPolicy.Invocations"/>, because its operation matching
/// cannot express the table exactly (docs/operations.md, "Service invocation access control").</summary>
public sealed record Widening(Invocation Call, string Why);

/// <summary>
/// The mesh's intended service invocations (issue 11, trust boundary): which app may call which route of which app,
/// and nothing else. web may call exactly the public API (<see cref="PublicRoutes"/>, the table the services' own
/// PublicAtEdge markers are checked against); the calls between the other apps are listed here. The Dapr
/// configurations in components/config must give daprd exactly this (<c>AccessControlTests</c>).
/// </summary>
public static class MeshPolicy
{
    public static readonly IReadOnlyList<Invocation> Invocations =
    [
        .. PublicRoutes.ByApp.SelectMany(app => app.Value.Select(route => new Invocation(AppIds.Web, app.Key, route.Method, route.Template))),
        // reservation and ordering read slots from catalog.
        new(AppIds.Reservation, AppIds.Catalog, "GET", "/slots/{id}"),
        new(AppIds.Ordering, AppIds.Catalog, "GET", "/slots/{id}"),
        // The saga: ordering reads, confirms and revokes holds, and reads the payment of an order.
        new(AppIds.Ordering, AppIds.Reservation, "GET", "/holds/{id}"),
        new(AppIds.Ordering, AppIds.Reservation, "POST", "/holds/{id}/confirm"),
        new(AppIds.Ordering, AppIds.Reservation, "POST", "/holds/{id}/revoke"),
        new(AppIds.Ordering, AppIds.Payment, "GET", "/payments/{id}"),
        // payment checks that a payment request names an order ordering placed.
        new(AppIds.Payment, AppIds.Ordering, "GET", "/orders/{id}"),
    ];

    private const string Parent = "an operation ending in /* also matches its parent path";
    private const string OneVerbSet = "a route and its parent share one operation, hence one verb set";

    /// <summary>
    /// The calls daprd allows beyond <see cref="Invocations"/> among the probes of <c>AccessControlTests</c> (each route,
    /// its parent, one segment below it, the sidecar-only routes), besides <see cref="Below"/>. Each is a path the callee
    /// does not map (it answers 404/405) or, where said, a route that also needs a signed-in customer.
    /// </summary>
    public static readonly IReadOnlyList<Widening> DaprWidenings =
    [
        new(new(AppIds.Web, AppIds.Catalog, "GET", "/slots"), Parent),
        new(new(AppIds.Reservation, AppIds.Catalog, "GET", "/slots"), Parent),
        new(new(AppIds.Ordering, AppIds.Catalog, "GET", "/slots"), Parent),
        new(new(AppIds.Web, AppIds.Catalog, "PUT", "/admin/slots"), Parent),
        new(new(AppIds.Web, AppIds.Catalog, "DELETE", "/admin/slots"), Parent),
        new(new(AppIds.Web, AppIds.Catalog, "PUT", "/admin/resources"), OneVerbSet),
        new(new(AppIds.Web, AppIds.Catalog, "POST", "/admin/resources/{id}"), OneVerbSet),
        new(new(AppIds.Web, AppIds.Reservation, "GET", "/holds"), Parent),
        new(new(AppIds.Web, AppIds.Reservation, "DELETE", "/holds"), Parent),
        new(new(AppIds.Web, AppIds.Reservation, "POST", "/holds/{id}"), OneVerbSet),
        new(new(AppIds.Ordering, AppIds.Reservation, "GET", "/holds"), Parent),
        new(new(AppIds.Web, AppIds.Ordering, "POST", "/orders/{id}"), OneVerbSet),
        new(new(AppIds.Payment, AppIds.Ordering, "GET", "/orders"),
            Parent + ": a real route, the signed-in customer's own orders, so without a customer's token it answers 401"),
        new(new(AppIds.Ordering, AppIds.Payment, "GET", "/payments"), Parent),
    ];

    /// <summary>
    /// daprd matches an operation that does not end in a wildcard as a prefix: a listed route ending in a literal segment
    /// (<c>/admin/sweep</c>, <c>/holds/{id}/confirm</c>) also lets the same caller and verb reach any path below it. The
    /// apps map nothing below those routes. Only one segment deeper is probed; the rule holds at any depth.
    /// </summary>
    public static IEnumerable<Invocation> Below() =>
        Invocations.Where(i => !i.Path.EndsWith('}'))
            .Select(i => i with { Path = i.Path + "/{x}" })
            .Where(deeper => !Invocations.Any(i => i.Caller == deeper.Caller && i.Callee == deeper.Callee && i.Verb == deeper.Verb
                && i.Matches(deeper.Caller, deeper.Callee, deeper.Verb, deeper.Path.Replace("{x}", "x", StringComparison.Ordinal))));
}
