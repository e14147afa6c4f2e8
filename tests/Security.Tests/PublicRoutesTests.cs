using System.Text;
using DaprReservations.BuildingBlocks.Edge;
using DaprReservations.BuildingBlocks.Topology;
using Web.Edge;

namespace Security.Tests;

/// <summary>
/// The edge's allowlist has one source: the <c>PublicAtEdge()</c> marker on the services' endpoints. These tests keep
/// the compiled table (<see cref="PublicRoutes"/>) equal to it, so a new route is public on purpose or unreachable.
/// </summary>
public sealed class PublicRoutesTests
{
    [Fact]
    public void The_edge_table_is_exactly_the_routes_each_service_marks_public()
    {
        var marked = ServiceEndpoints.Routes.Where(r => r.IsPublic)
            .GroupBy(r => r.App)
            .ToDictionary(g => g.Key, g => g.Select(r => new PublicRoute(r.Method, r.Path)).ToHashSet());

        var table = PublicRoutes.ByApp.ToDictionary(p => p.Key, p => p.Value.ToHashSet());

        var same = marked.Keys.Order().SequenceEqual(table.Keys.Order())
            && marked.All(p => p.Value.SetEquals(table[p.Key]));
        same.Should().BeTrue("services/BuildingBlocks/Edge/PublicRoutes.cs must list what the services mark; paste:\n" + AsCode(marked));
    }

    [Fact]
    public void Sidecar_only_and_internal_routes_are_never_public()
    {
        var offenders = ServiceEndpoints.Routes.Where(r => r.IsPublic && (r.IsSubscription
            || r.Path.StartsWith("/dapr", StringComparison.OrdinalIgnoreCase)
            || r.Path.StartsWith("/actors", StringComparison.OrdinalIgnoreCase)
            || r.Path.EndsWith("/confirm", StringComparison.Ordinal) || r.Path.EndsWith("/revoke", StringComparison.Ordinal)
            || r.App is AppIds.Payment or AppIds.Web));

        offenders.Should().BeEmpty();
        ServiceEndpoints.Routes.Should().Contain(r => r.IsSubscription, "the enumeration sees the subscription routes");
        ServiceEndpoints.Routes.Should().Contain(r => r.Path.StartsWith("/actors"), "and the actor routes");
    }

    [Fact]
    public void The_edge_matches_every_public_route_and_no_other_route_of_any_service()
    {
        var table = EdgeRouteTable.Default;
        foreach (var route in ServiceEndpoints.Routes.Where(r => r.App != AppIds.Web))
        {
            var segments = Filled(route.Path).Trim('/').Split('/');
            var matched = table.Match(route.App, route.Method == "*" ? "GET" : route.Method, segments);
            if (route.IsPublic)
                matched.Should().NotBeNull($"{route} is public");
            else
                matched.Should().BeNull($"{route} is not public");
        }
    }

    [Theory]
    [InlineData("catalog", "GET", "RESOURCES")]
    [InlineData("catalog", "GET", "resources/not-a-guid")]
    [InlineData("catalog", "POST", "resources")]
    [InlineData("Catalog", "GET", "resources")]
    [InlineData("payment", "GET", "payments/x")]
    [InlineData("reservation", "POST", "holds/x/confirm")]
    [InlineData("reservation", "GET", "holds/x/extra")]
    public void Case_constraints_methods_and_extra_segments_do_not_match(string app, string method, string path) =>
        EdgeRouteTable.Default.Match(app, method, path.Split('/')).Should().BeNull();

    /// <summary>A concrete path for a template: a GUID where the route wants one, a plain id elsewhere.</summary>
    public static string Filled(string template) =>
        string.Join('/', template.Split('/').Select(segment =>
            !segment.StartsWith('{') ? segment
            : segment.Contains(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString()
            : "probe-1"));

    private static string AsCode(Dictionary<string, HashSet<PublicRoute>> marked)
    {
        var code = new StringBuilder();
        foreach (var (app, routes) in marked.OrderBy(p => p.Key))
        {
            code.AppendLine($"[\"{app}\"] = [");
            foreach (var route in routes)
                code.AppendLine($"    new(\"{route.Method}\", \"{route.Template}\"),");
            code.AppendLine("],");
        }

        return code.ToString();
    }
}
