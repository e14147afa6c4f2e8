using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using static LocalSidecar.Conformance.Tests.Mesh.AccessControlFixture;

namespace LocalSidecar.Conformance.Tests.Mesh;

/// <summary>
/// accessControl of the callee's Configuration, as daprd 1.16 enforces it in its CallLocal (dapr/dapr pkg/acl/acl.go,
/// pkg/api/grpc/daprinternal.go callLocalValidateACL) and reports it to the caller (pkg/api/http/directmessaging.go):
/// 403 with {"errorCode":"ERR_DIRECT_INVOKE","message":"failed to invoke, id: {callee}, err: rpc error:
/// code = PermissionDenied desc = access control policy has denied access to id: {spiffe id} operation: {method} verb: {VERB}"}.
/// </summary>
public abstract class AccessControlConformance(AccessControlFixture fixture)
{
    private static string Denied(string caller, string operation, string verb, string trustDomain = "public") =>
        $"failed to invoke, id: {Callee}, err: rpc error: code = PermissionDenied desc = access control policy has denied access to " +
        $"id: spiffe://{trustDomain}/ns/default/{caller} operation: {operation} verb: {verb}";

    private static async Task ShouldBeDeniedAsync(HttpResponseMessage response, string message)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        error.GetProperty("errorCode").GetString().Should().Be("ERR_DIRECT_INVOKE");
        error.GetProperty("message").GetString().Should().Be(message);
    }

    [Fact]
    public async Task A_listed_operation_with_a_listed_verb_reaches_the_app()
    {
        using var client = fixture.Client(Caller);
        using var http = client.CreateInvokableHttpClient(Callee);
        using var response = await http.GetAsync("orders/7/lines");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var echo = await EchoReply.ReadAsync(response);
        echo.Path.Should().Be("/orders/7/lines");
        echo.Headers["dapr-caller-app-id"].Should().Be(Caller);
    }

    [Fact]
    public async Task A_listed_operation_with_another_verb_is_403_with_daprds_message()
    {
        using var http = fixture.InvokeClient(Caller, Callee);
        using var response = await http.PostAsync("orders/7", new StringContent("{}", Encoding.UTF8, "application/json"));
        await ShouldBeDeniedAsync(response, Denied(Caller, "orders/7", "POST"));
    }

    [Fact]
    public async Task A_request_built_by_the_sdk_from_an_app_without_a_policy_is_refused()
    {
        using var client = fixture.Client(Stranger);
        using var request = client.CreateInvokeMethodRequest(HttpMethod.Get, Callee, "orders/7", [new("expand", "lines")]);
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        await ShouldBeDeniedAsync(response, Denied(Stranger, "orders/7", "GET"));
    }

    [Fact]
    public async Task The_dapr_app_id_header_route_is_checked_like_the_invoke_route()
    {
        HttpRequestMessage Event() => new(HttpMethod.Post, "events/order.cancelled")
        {
            Headers = { { "dapr-app-id", Callee } },
            Content = new StringContent("{}", Encoding.UTF8, "application/cloudevents+json"),
        };

        using (var caller = fixture.Http(Caller))
        using (var allowed = await caller.SendAsync(Event()))
        {
            allowed.StatusCode.Should().Be(HttpStatusCode.OK);
            (await EchoReply.ReadAsync(allowed)).Path.Should().Be("/events/order.cancelled");
        }

        using var stranger = fixture.Http(Stranger);
        using var denied = await stranger.SendAsync(Event());
        await ShouldBeDeniedAsync(denied, Denied(Stranger, "events/order.cancelled", "POST"));
    }

    [Fact]
    public async Task An_app_without_a_policy_gets_the_global_default_action()
    {
        using var http = fixture.InvokeClient(Stranger, Callee);
        using var response = await http.GetAsync("orders/7");
        await ShouldBeDeniedAsync(response, Denied(Stranger, "orders/7", "GET"));
    }

    [Theory]
    [InlineData("admin", "GET")] // listed with action deny
    [InlineData("catalog/items", "GET")] // not listed: the policy's defaultAction (deny)
    [InlineData("events/a/b", "POST")] // "/events/*" covers one segment only
    public async Task Operations_the_policy_does_not_allow_are_refused(string method, string verb)
    {
        using var http = fixture.InvokeClient(Caller, Callee);
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(verb), method));
        await ShouldBeDeniedAsync(response, Denied(Caller, method, verb));
    }

    [Fact]
    public async Task A_policy_default_action_allow_admits_what_no_operation_denies()
    {
        using var http = fixture.InvokeClient(Trusted, Callee);
        using (var anything = await http.PutAsync("catalog/items/1", new StringContent("x")))
            anything.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var readAdmin = await http.GetAsync("admin"))
            readAdmin.StatusCode.Should().Be(HttpStatusCode.OK);
        using var deleteAdmin = await http.DeleteAsync("admin");
        await ShouldBeDeniedAsync(deleteAdmin, Denied(Trusted, "admin", "DELETE"));
    }

    [Fact]
    public async Task Operation_names_match_case_insensitively_and_the_app_gets_the_path_as_sent()
    {
        using var http = fixture.InvokeClient(Caller, Callee);
        using var response = await http.GetAsync("ORDERS/7");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Path.Should().Be("/ORDERS/7");
    }

    [Fact]
    public async Task The_policy_sees_the_cleaned_method_so_an_encoded_traversal_cannot_leave_a_denial()
    {
        using var sidecar = fixture.Http(Caller);
        using (var escaped = await sidecar.GetAsync($"v1.0/invoke/{Callee}/method/orders%2F..%2Fadmin"))
            await ShouldBeDeniedAsync(escaped, Denied(Caller, "admin", "GET"));
        using var reached = await sidecar.GetAsync($"v1.0/invoke/{Callee}/method/admin%2F..%2Forders%2F1");
        reached.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(reached)).Path.Should().Be("/orders/1");
    }

    [Fact]
    public async Task A_callers_trust_domain_comes_from_its_own_configuration()
    {
        // mesh-foreign's policy names trust domain "public"; its certificate says "elsewhere": the global default applies.
        using var http = fixture.InvokeClient(Foreign, Callee);
        using var response = await http.GetAsync("orders/7");
        await ShouldBeDeniedAsync(response, Denied(Foreign, "orders/7", "GET", trustDomain: "elsewhere"));
    }

    [Fact]
    public async Task Self_invocation_is_not_checked()
    {
        using var http = fixture.InvokeClient(Callee, Callee);
        using var response = await http.GetAsync("admin");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

public sealed class AccessControlOnRedis(RedisAccessControlFixture fixture) : AccessControlConformance(fixture), IClassFixture<RedisAccessControlFixture>;

public sealed class AccessControlOnMemory(MemoryAccessControlFixture fixture) : AccessControlConformance(fixture), IClassFixture<MemoryAccessControlFixture>;
