using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;

namespace LocalSidecar.Conformance.Tests.Invocation;

/// <summary>HTTP service invocation (reference §5): what reaches the target app and what comes back.</summary>
public abstract class InvocationConformance(EchoSidecarFixture fixture)
{
    private string AppId => fixture.AppId;

    [Fact]
    public async Task The_sdk_invokable_client_reaches_the_app_with_verb_path_query_and_body_unchanged()
    {
        using var client = fixture.Client.CreateInvokableHttpClient(AppId);
        using var response = await client.PostAsJsonAsync("/orders/42?expand=lines&x=%2F", new { quantity = 3 });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var echo = await EchoReply.ReadAsync(response);
        echo.Method.Should().Be("POST");
        echo.Path.Should().Be("/orders/42");
        echo.Query.Should().Be("?expand=lines&x=%2F");
        echo.Body.Should().Be("""{"quantity":3}""");
        echo.ContentType.Should().StartWith("application/json");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Every_verb_is_forwarded_as_sent(string verb)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), $"v1.0/invoke/{AppId}/method/items/1");
        using var response = await fixture.Http.SendAsync(request);
        (await EchoReply.ReadAsync(response)).Method.Should().Be(verb);
    }

    [Fact]
    public async Task The_dapr_app_id_header_routes_any_path_and_is_not_forwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "catalog/slots/7?a=b")
        {
            Content = new StringContent("hi", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("dapr-app-id", AppId);
        using var response = await fixture.Http.SendAsync(request);
        var echo = await EchoReply.ReadAsync(response);
        echo.Path.Should().Be("/catalog/slots/7");
        echo.Query.Should().Be("?a=b");
        echo.Body.Should().Be("hi");
        echo.Headers.Should().NotContainKey("dapr-app-id");
    }

    [Fact]
    public async Task The_dapr_app_id_header_routes_a_path_whose_last_segment_has_a_dot()
    {
        // ASP.NET's MapFallback(handler) pattern {*path:nonfile} skips such paths; daprd's fallback route does not.
        using var request = new HttpRequestMessage(HttpMethod.Post, "events/order.cancelled")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("dapr-app-id", AppId);
        using var response = await fixture.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Path.Should().Be("/events/order.cancelled");
    }

    [Fact]
    public async Task The_invoke_path_form_forwards_a_method_whose_last_segment_has_a_dot()
    {
        using var client = fixture.Client.CreateInvokableHttpClient(AppId);
        using var response = await client.PostAsync("/events/payment.succeeded", new StringContent("{}", Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Path.Should().Be("/events/payment.succeeded");
    }

    [Theory]
    [InlineData("admin%2F..%2Fpublic", "/public")]
    [InlineData("a%2Fb%2Fc%2F..%2F..%2F..%2Fpublic", "/public")]
    [InlineData("..%2Fpublic", "/public")]
    [InlineData("public///extra", "/public/extra")]
    public async Task An_encoded_slash_is_a_slash_when_the_method_is_cleaned(string method, string received)
    {
        // daprd 1.16 reads the decoded path (tests/integration/suite/daprd/serviceinvocation/http/reservedchars).
        using var response = await fixture.Http.GetAsync($"v1.0/invoke/{AppId}/method/{method}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Path.Should().Be(received);
    }

    [Theory]
    [InlineData("admin%3Fignored")]
    [InlineData("admin%23%3F%25bypass")]
    public async Task A_method_with_a_decoded_question_mark_or_hash_is_500_ERR_DIRECT_INVOKE(string method)
    {
        using var response = await fixture.Http.GetAsync($"v1.0/invoke/{AppId}/method/{method}");
        ((int)response.StatusCode).Should().Be(500);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        error.GetProperty("errorCode").GetString().Should().Be("ERR_DIRECT_INVOKE");
        error.GetProperty("message").GetString().Should().Contain("invalid method: method contains forbidden character");
    }

    [Fact]
    public async Task The_header_wins_over_the_app_id_in_the_path()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1.0/invoke/nobody/method/x");
        request.Headers.Add("dapr-app-id", AppId);
        using var response = await fixture.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Path.Should().Be("/v1.0/invoke/nobody/method/x");
    }

    [Theory]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(503)]
    public async Task The_apps_error_statuses_pass_through_with_body_and_headers(int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1.0/invoke/{AppId}/method/fail");
        request.Headers.Add("x-reply-status", status.ToString());
        using var response = await fixture.Http.SendAsync(request);
        ((int)response.StatusCode).Should().Be(status);
        response.Headers.GetValues("x-echo").Should().Equal("yes");
        (await EchoReply.ReadAsync(response)).Path.Should().Be("/fail");
    }

    [Fact]
    public async Task An_unknown_app_id_is_500_ERR_DIRECT_INVOKE()
    {
        using var response = await fixture.Http.GetAsync("v1.0/invoke/no-such-app/method/x");
        ((int)response.StatusCode).Should().Be(500);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        error.GetProperty("errorCode").GetString().Should().Be("ERR_DIRECT_INVOKE");
        error.GetProperty("message").GetString().Should().Contain("no-such-app");
    }

    [Fact]
    public async Task A_path_without_any_app_id_is_404_ERR_DIRECT_INVOKE()
    {
        using var response = await fixture.Http.GetAsync("not/a/dapr/route");
        ((int)response.StatusCode).Should().Be(404);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString().Should().Be("ERR_DIRECT_INVOKE");
    }

    [Fact]
    public async Task A_traceparent_sent_by_the_caller_reaches_the_app_and_one_is_made_when_absent()
    {
        const string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using var withTrace = new HttpRequestMessage(HttpMethod.Get, $"v1.0/invoke/{AppId}/method/t");
        withTrace.Headers.Add("traceparent", traceparent);
        using (var response = await fixture.Http.SendAsync(withTrace))
            (await EchoReply.ReadAsync(response)).Headers["traceparent"].Should().Be(traceparent);

        using var plain = await fixture.Http.GetAsync($"v1.0/invoke/{AppId}/method/t");
        (await EchoReply.ReadAsync(plain)).Headers["traceparent"].Should().MatchRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$");
    }

    [Fact]
    public async Task Self_invocation_carries_no_caller_headers()
    {
        using var response = await fixture.Http.GetAsync($"v1.0/invoke/{AppId}/method/self");
        (await EchoReply.ReadAsync(response)).Headers.Should().NotContainKey("dapr-caller-app-id");
    }

    [Fact]
    public async Task A_call_from_another_apps_sidecar_carries_caller_callee_and_forwarded_headers()
    {
        if (fixture.IsRealDaprd)
            return; // needs a second sidecar in the same cluster
        await using var caller = await SidecarInstance.StartAsync(new SidecarOptions
        {
            AppId = "caller-" + Guid.NewGuid().ToString("N")[..6],
            HttpPort = 0,
            GrpcPort = 0,
            ResourcesPaths = [fixture.ResourcesPath!],
            Backend = fixture.Backend,
        }, fixture.Cluster!, logging: _ => { });
        using var http = new HttpClient { BaseAddress = new Uri(caller.HttpEndpoint + "/") };
        using var response = await http.GetAsync($"v1.0/invoke/{AppId}/method/remote");
        var headers = (await EchoReply.ReadAsync(response)).Headers;
        headers["dapr-caller-app-id"].Should().Be(caller.Options.AppId);
        headers["dapr-callee-app-id"].Should().Be(AppId);
        headers.Should().ContainKey("x-forwarded-for").And.ContainKey("forwarded").And.ContainKey("x-forwarded-host");
    }

    [Fact]
    public async Task An_app_id_with_a_namespace_suffix_reaches_the_same_app()
    {
        using var response = await fixture.Http.GetAsync($"v1.0/invoke/{AppId}.default/method/ns");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Path.Should().Be("/ns");
    }
}

public sealed class InvocationOnRedis(EchoRedisFixture fixture) : InvocationConformance(fixture), IClassFixture<EchoRedisFixture>;

public sealed class InvocationOnMemory(EchoMemoryFixture fixture) : InvocationConformance(fixture), IClassFixture<EchoMemoryFixture>;
