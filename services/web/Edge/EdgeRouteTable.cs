using DaprReservations.BuildingBlocks.Edge;

namespace Web.Edge;

/// <summary>
/// The edge's allowlist: <see cref="PublicRoutes"/> (what services mark <c>PublicAtEdge()</c>) compiled into
/// method + segment matchers. A request is forwarded only when its app, method and every path segment match a
/// public route exactly: literals case-sensitively, parameters by their constraint. Nothing else is ever forwarded.
/// </summary>
public sealed class EdgeRouteTable
{
    private readonly Dictionary<string, CompiledRoute[]> routes;

    public EdgeRouteTable(IReadOnlyDictionary<string, IReadOnlyList<PublicRoute>> publicRoutes)
    {
        routes = publicRoutes.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Select(CompiledRoute.Parse).ToArray(),
            StringComparer.Ordinal);
    }

    public static EdgeRouteTable Default { get; } = new(PublicRoutes.ByApp);

    public IEnumerable<string> Apps => routes.Keys;

    /// <summary>The public route <paramref name="method"/> <paramref name="segments"/> of <paramref name="app"/>, if any.</summary>
    public PublicRoute? Match(string app, string method, IReadOnlyList<string> segments)
    {
        if (!routes.TryGetValue(app, out var candidates))
            return null;
        foreach (var route in candidates)
        {
            if (route.Matches(method, segments))
                return route.Source;
        }

        return null;
    }

    private sealed record CompiledRoute(PublicRoute Source, Segment[] Segments)
    {
        public static CompiledRoute Parse(PublicRoute route)
        {
            var segments = route.Template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(Segment.Parse).ToArray();
            return new CompiledRoute(route, segments);
        }

        public bool Matches(string method, IReadOnlyList<string> path) =>
            string.Equals(method, Source.Method, StringComparison.OrdinalIgnoreCase)
            && path.Count == Segments.Length
            && Segments.Select((segment, i) => segment.Matches(path[i])).All(match => match);
    }

    private sealed record Segment(string? Literal, Func<string, bool>? Parameter)
    {
        public static Segment Parse(string text)
        {
            if (!text.StartsWith('{'))
                return new Segment(text, null);
            var inner = text.Trim('{', '}');
            var colon = inner.IndexOf(':');
            var constraint = colon < 0 ? null : inner[(colon + 1)..];
            return constraint switch
            {
                null => new Segment(null, _ => true),
                "guid" => new Segment(null, value => Guid.TryParse(value, out _)),
                "int" => new Segment(null, value => int.TryParse(value, out _)),
                // A constraint the edge does not know would silently widen the allowlist: refuse to start instead.
                _ => throw new InvalidOperationException($"Public route segment '{text}': constraint '{constraint}' is unknown to the edge."),
            };
        }

        public bool Matches(string value) => Literal is not null ? string.Equals(Literal, value, StringComparison.Ordinal) : Parameter!(value);
    }
}
