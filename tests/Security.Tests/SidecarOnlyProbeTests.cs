using System.Net;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;

namespace Security.Tests;

/// <summary>
/// (b) Straight at each app's port, as a process beside the apps (or a compromised pod) could: every subscription
/// route, <c>/dapr/*</c> and <c>/actors/*</c> need the app's own token; internal saga steps need it and the caller id.
/// Forged events with no token, a wrong token, another app's token or a forged caller id change nothing.
/// </summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class SidecarOnlyProbeTests(SecuritySystem system)
{
    [Fact]
    public async Task Forged_events_without_the_app_token_are_401_on_every_subscription_route_and_change_nothing()
    {
        var before = await system.SnapshotAsync();
        var routes = ServiceEndpoints.Routes.Where(r => r.IsSubscription).ToList();
        routes.Select(r => r.App).Distinct().Should().Contain([AppIds.Ordering, AppIds.Payment, AppIds.Reservation, AppIds.Catalog]);

        var answers = new List<string>();
        foreach (var route in routes)
        {
            foreach (var (name, headers) in Forgeries(route.App))
            {
                var (status, _) = await RawHttp.SendAsync(AppPort(route.App), "POST", route.Path, headers, ForgedEvent());
                answers.Add($"{(int)status} {route} ({name})");
            }
        }

        answers.Should().OnlyContain(a => a.StartsWith("401 "));
        (await system.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("web", "GET", "/dapr/subscribe")]
    [InlineData("catalog", "GET", "/dapr/subscribe")]
    [InlineData("reservation", "GET", "/dapr/subscribe")]
    [InlineData("ordering", "GET", "/dapr/subscribe")]
    [InlineData("payment", "GET", "/dapr/subscribe")]
    [InlineData("reservation", "GET", "/dapr/config")]
    [InlineData("reservation", "PUT", "/actors/SlotActor/x/method/Read")]
    [InlineData("reservation", "DELETE", "/actors/SlotActor/x")]
    [InlineData("ordering", "POST", "/events/payment.succeeded")]
    public async Task Dapr_routes_need_the_app_token(string app, string method, string path)
    {
        foreach (var (name, headers) in Forgeries(app))
        {
            var (status, _) = await RawHttp.SendAsync(AppPort(app), method, path, headers, method == "GET" ? null : ForgedEvent());
            status.Should().Be(HttpStatusCode.Unauthorized, name);
        }
    }

    [Fact]
    public async Task The_sidecar_itself_still_gets_through_with_the_app_token()
    {
        var headers = new Dictionary<string, string> { ["dapr-api-token"] = system.System.AppApiToken(AppIds.Ordering) };

        var (status, body) = await RawHttp.SendAsync(AppPort(AppIds.Ordering), "GET", "/dapr/subscribe", headers);

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("payment.succeeded");
    }

    [Theory]
    [InlineData("confirm")]
    [InlineData("revoke")]
    public async Task Internal_saga_steps_need_the_app_token_and_the_caller_id(string step)
    {
        var before = await system.SnapshotAsync();
        var reservation = AppIds.Reservation;
        var attempts = new Dictionary<string, Dictionary<string, string>>
        {
            ["caller id alone"] = new() { ["dapr-caller-app-id"] = AppIds.Ordering },
            ["caller id + wrong token"] = new() { ["dapr-caller-app-id"] = AppIds.Ordering, ["dapr-api-token"] = "guess" },
            ["caller id + ordering's token"] = new() { ["dapr-caller-app-id"] = AppIds.Ordering, ["dapr-api-token"] = system.System.AppApiToken(AppIds.Ordering) },
            ["right token, caller web"] = new() { ["dapr-caller-app-id"] = AppIds.Web, ["dapr-api-token"] = system.System.AppApiToken(reservation) },
            ["right token, no caller"] = new() { ["dapr-api-token"] = system.System.AppApiToken(reservation) },
        };

        foreach (var (name, headers) in attempts)
        {
            headers["Authorization"] = TestIdentity.Bearer("alice").ToString();
            var (status, _) = await RawHttp.SendAsync(AppPort(reservation), "POST", $"/holds/{system.HoldId}/{step}", headers);
            status.Should().Be(HttpStatusCode.Forbidden, name);
        }

        (await system.SnapshotAsync()).Should().Be(before);
    }

    private Dictionary<string, Dictionary<string, string>> Forgeries(string app) => new()
    {
        ["no token"] = new(),
        ["wrong token"] = new() { ["dapr-api-token"] = "0123456789abcdef" },
        ["empty token"] = new() { ["dapr-api-token"] = "" },
        ["forged caller id"] = new() { ["dapr-caller-app-id"] = AppIds.Payment, ["dapr-app-id"] = app },
        ["another app's token"] = new() { ["dapr-api-token"] = system.System.AppApiToken(app == AppIds.Web ? AppIds.Catalog : AppIds.Web) },
    };

    private Uri AppPort(string app) => system.System.Direct(app).BaseAddress!;

    private string ForgedEvent() =>
        $$$"""{"id":"{{{Guid.NewGuid():N}}}","specversion":"1.0","source":"payment","type":"payment.succeeded.v1","datacontenttype":"application/json","topic":"payment.succeeded","pubsubname":"pubsub","data":{"orderId":"{{{system.OrderId}}}","paymentId":"forged","amount":0,"currency":"KRW","customerId":"alice","holdIds":["{{{system.HoldId}}}"],"status":"cancelled"}}""";
}
