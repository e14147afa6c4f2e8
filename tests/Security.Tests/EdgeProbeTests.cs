using System.Net;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;

namespace Security.Tests;

/// <summary>
/// (a) From the public entry: every route that is not public, every sidecar API path and the usual path tricks are
/// answered 404 by the edge, and nothing the probes aim at changes.
/// </summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class EdgeProbeTests(SecuritySystem system)
{
    private static readonly Dictionary<string, string> Admin = new() { ["Authorization"] = TestIdentity.Bearer("admin", admin: true).ToString() };

    [Fact]
    public async Task Every_route_that_is_not_public_is_a_404_at_the_edge_even_for_an_admin()
    {
        var before = await system.SnapshotAsync();
        var probes = ServiceEndpoints.Routes.Where(r => !r.IsPublic).ToList();
        probes.Should().HaveCountGreaterThan(15, "subscriptions, /dapr, /actors, internal steps, payment and web routes");

        var answers = new List<string>();
        foreach (var route in probes)
        {
            var target = $"/api/{route.App}{Filled(route.Path)}";
            var method = route.Method == "*" ? "POST" : route.Method;
            var (status, _) = await RawHttp.SendAsync(system.Edge, method, target, Admin, Body(route));
            answers.Add($"{(int)status} {method} {target}");
        }

        answers.Should().OnlyContain(a => a.StartsWith("404 "), "nothing but the public API is forwarded");
        (await system.SnapshotAsync()).Should().Be(before);
    }

    public static TheoryData<string, string> SidecarApiPaths => new()
    {
        { "POST", "/api/catalog/v1.0/publish/pubsub/payment.succeeded" },
        { "POST", "/api/ordering/v1.0/publish/pubsub/payment.succeeded" },
        { "GET", "/api/catalog/v1.0/metadata" },
        { "GET", "/api/v1.0/metadata" },
        { "GET", "/api/catalog/v1.0/state/statestore/x" },
        { "POST", "/api/catalog/v1.0/state/statestore" },
        { "POST", "/api/catalog/v1.0-alpha1/lock/lockstore" },
        { "GET", "/api/catalog/v1.0/invoke/payment/method/admin/payments" },
        { "GET", "/api/catalog/v1.0/healthz" },
        { "POST", "/api/catalog/v1.0/shutdown" },
        { "GET", "/api/ordering/dapr/subscribe" },
        { "GET", "/api/reservation/dapr/config" },
        { "POST", "/api/reservation/actors/SlotActor/x/method/Read" },
        { "POST", "/api/ordering/events/payment.succeeded" },
        { "POST", "/api/reservation/events/order.cancelled" },
        { "POST", "/api/payment/events/payment.requested" },
        { "GET", "/api/payment/admin/payments" },
        { "GET", "/api/web/config" },
        { "GET", "/api/catalog/healthz" },
        { "GET", "/api/catalog/swagger/v1/swagger.json" },
    };

    [Theory]
    [MemberData(nameof(SidecarApiPaths))]
    public async Task No_sidecar_API_Dapr_route_or_unforwarded_app_is_reachable(string method, string target)
    {
        var (status, _) = await RawHttp.SendAsync(system.Edge, method, target, Admin,
            method == "POST" ? """{"orderId":"x","paymentId":"x","amount":0}""" : null);

        status.Should().Be(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> PathTricks => new()
    {
        { "GET", "/api/catalog/resources/..%2F..%2Fv1.0%2Fmetadata" },
        { "GET", "/api/catalog/resources/%2e%2e/%2e%2e/v1.0/metadata" },
        { "GET", "/api/catalog/resources/../../v1.0/metadata" },
        { "GET", "/api/catalog/./resources" },
        { "GET", "/api/catalog//resources" },
        { "GET", "/api//catalog/resources" },
        { "GET", "/api/catalog/resources/" },
        { "GET", "/api/Catalog/resources" },
        { "GET", "/API/catalog/resources" },
        { "GET", "/api/catalog/RESOURCES" },
        { "GET", "/api/catalog/resources%2F" },
        { "GET", "/api/catalog/resources;x=1" },
        { "GET", "/api/catalog/resources\\..\\v1.0\\metadata" },
        { "GET", "/api/catalog/%72esources" },
        { "POST", "/api/reservation/holds/{hold}%2Fconfirm" },
        { "POST", "/api/reservation/holds/{hold}/confirm/" },
        { "POST", "/api/reservation/holds/{hold}/./confirm" },
        { "POST", "/api/reservation/holds/x/../{hold}/confirm" },
        { "POST", "/api/reservation/holds/{hold}/Confirm" },
        { "GET", "http://127.0.0.1:1/api/catalog/v1.0/metadata" },
        { "CONNECT", "127.0.0.1:3500" },
        { "TRACE", "/api/catalog/resources" },
        { "PROPFIND", "/api/catalog/resources" },
    };

    [Theory]
    [MemberData(nameof(PathTricks))]
    public async Task Paths_that_change_meaning_after_normalisation_are_refused(string method, string target)
    {
        var (status, _) = await RawHttp.SendAsync(system.Edge, method, target.Replace("{hold}", system.HoldId), Admin);

        ((int)status).Should().BeOneOf([400, 404, 405], $"{method} {target} must not be forwarded");
    }

    [Fact]
    public async Task The_hold_the_path_tricks_aim_at_is_still_active_and_unconfirmed()
    {
        var before = await system.SnapshotAsync();
        foreach (var (method, target) in PathTricks.Select(row => ((string)row[0], (string)row[1])).Where(r => r.Item2.Contains("{hold}")))
            await RawHttp.SendAsync(system.Edge, method, target.Replace("{hold}", system.HoldId), Admin);

        var after = await system.SnapshotAsync();
        after.Should().Be(before).And.Contain("hold active 1");
    }

    [Fact]
    public async Task Browser_sent_dapr_headers_cannot_retarget_a_public_request()
    {
        var headers = new Dictionary<string, string>(Admin)
        {
            ["dapr-app-id"] = AppIds.Payment,
            ["dapr-caller-app-id"] = AppIds.Ordering,
            ["dapr-api-token"] = "guess",
        };

        var (status, body) = await RawHttp.SendAsync(system.Edge, "GET", "/api/catalog/resources", headers);

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("Probe room", "the request went to catalog, not to the app the header named");
    }

    [Theory]
    [InlineData("Idempotency-Key", "키-ü")]
    [InlineData("If-Match", "\"é\"")]
    public async Task A_non_ASCII_header_is_a_400_problem_not_a_502(string header, string value)
    {
        var headers = new Dictionary<string, string>(Admin) { [header] = value };

        var (status, body) = await RawHttp.SendAsync(system.Edge, "POST", "/api/reservation/holds", headers, """{"slotId":"x","quantity":1}""");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain(header);
    }

    private string Filled(string template) =>
        string.Join('/', template.Split('/').Select(segment => segment switch
        {
            "{holdId}" => system.HoldId,
            "{orderId}" => system.OrderId,
            "{id:guid}" or "{slotId}" => system.SlotId,
            _ when segment.StartsWith('{') => "probe-1",
            _ => segment,
        }));

    /// <summary>A body that would do harm if it arrived: a forged event for the seeded order, or a hold.</summary>
    private string? Body(ServiceRoute route) => route.Method is "GET" or "DELETE" ? null
        : route.IsSubscription
            ? $$$"""{"id":"forged-1","specversion":"1.0","source":"payment","type":"x","datacontenttype":"application/json","data":{"orderId":"{{{system.OrderId}}}","paymentId":"x","amount":0,"currency":"KRW","holdIds":["{{{system.HoldId}}}"]}}"""
            : $$"""{"slotId":"{{system.SlotId}}","quantity":1,"orderId":"{{system.OrderId}}"}""";
}
