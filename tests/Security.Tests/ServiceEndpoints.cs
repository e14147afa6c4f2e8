using Dapr;
using DaprReservations.BuildingBlocks.Edge;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Security.Tests;

/// <summary>One mapped route of a service, as its endpoint data source has it.</summary>
public sealed record ServiceRoute(string App, string Method, string Template, bool IsPublic, bool IsSubscription)
{
    /// <summary>The template as the edge and the mesh write it: no trailing slash.</summary>
    public string Path => Template.Length > 1 ? Template.TrimEnd('/') : Template;

    public override string ToString() => $"{App} {Method} {Path}";
}

/// <summary>
/// Every service's routes, read from its own endpoint data source by building it in-process (no sidecar, a temp
/// SQLite file): the source the attack suite enumerates, so a new route is probed without anyone listing it.
/// </summary>
public static class ServiceEndpoints
{
    private static readonly Lazy<IReadOnlyList<ServiceRoute>> All = new(Load);

    public static IReadOnlyList<ServiceRoute> Routes => All.Value;

    public static IEnumerable<ServiceRoute> Of(string app) => Routes.Where(r => r.App == app);

    private static IReadOnlyList<ServiceRoute> Load()
    {
        var routes = new List<ServiceRoute>();
        routes.AddRange(Read<Web.SignIn.SignInOptions>(AppIds.Web));
        routes.AddRange(Read<Catalog.CatalogOptions>(AppIds.Catalog));
        routes.AddRange(Read<Reservation.ReservationOptions>(AppIds.Reservation, ("Reservation:Strategy", "actor")));
        routes.AddRange(Read<Ordering.OrderingOptions>(AppIds.Ordering));
        routes.AddRange(Read<Payment.PaymentOptions>(AppIds.Payment));
        return routes;
    }

    private static IEnumerable<ServiceRoute> Read<TEntry>(string app, params (string Key, string Value)[] settings)
        where TEntry : class
    {
        var database = Path.Combine(Path.GetTempPath(), $"security-{app}-{Guid.NewGuid():N}.db");
        try
        {
            using var factory = new Factory<TEntry>(app, database, settings);
            var sources = factory.Services.GetServices<EndpointDataSource>();
            return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(endpoint => Methods(endpoint).Select(method => new ServiceRoute(
                    app, method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetMetadata<PublicApiMetadata>() is not null,
                    endpoint.Metadata.GetMetadata<ITopicMetadata>() is not null)))
                .Distinct()
                .ToList();
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*"))
                File.Delete(file);
        }
    }

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"];

    private sealed class Factory<TEntry>(string app, string database, (string Key, string Value)[] settings)
        : WebApplicationFactory<TEntry>
        where TEntry : class
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("APP_ID", app);
            builder.UseSetting($"ConnectionStrings:{app}", $"Data Source={database}");
            builder.UseTestIdentity();
            builder.UseSetting("Logging:LogLevel:Default", "Critical");
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        }
    }
}
