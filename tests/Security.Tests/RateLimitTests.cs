using System.Net;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Security.Tests;

/// <summary>
/// (f) The edge's rate limit, on the web app alone (a small bucket; requests it lets through find no sidecar and get
/// 503, which is not what is asserted): over the limit a client gets 429 ProblemDetails with Retry-After before
/// anything is forwarded, per signed-in user, so another user keeps their own budget.
/// </summary>
public sealed class RateLimitTests : IClassFixture<RateLimitTests.Edge>
{
    private readonly Edge edge;

    public RateLimitTests(Edge edge) => this.edge = edge;

    public sealed class Edge : WebApplicationFactory<Web.SignIn.SignInOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("APP_ID", "web");
            builder.UseTestIdentity();
            builder.UseSetting("Edge:RateLimit:TokenLimit", "5");
            builder.UseSetting("Edge:RateLimit:TokensPerPeriod", "5");
            builder.UseSetting("Edge:RateLimit:ReplenishmentPeriod", "00:01:00");
            builder.UseSetting("DAPR_HTTP_ENDPOINT", "http://127.0.0.1:1"); // nothing listens: forwarded requests get 503
            builder.UseSetting("Logging:LogLevel:Default", "Critical");
        }
    }

    [Fact]
    public async Task Over_the_limit_a_user_gets_429_with_Retry_After_and_another_user_is_unaffected()
    {
        using var carol = edge.CreateClient().As("carol");
        using var dave = edge.CreateClient().As("dave");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await carol.GetAsync("api/catalog/resources");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter.Should().NotBeNull();
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32().Should().Be(429);
            }
        }

        answers.Take(5).Should().OnlyContain(s => s == HttpStatusCode.ServiceUnavailable, "the first 5 are within the bucket and forwarded");
        answers.Skip(5).Should().OnlyContain(s => s == HttpStatusCode.TooManyRequests);
        using var other = await dave.GetAsync("api/catalog/resources");
        other.StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests, "dave has his own bucket");
    }

    [Fact]
    public async Task Behind_the_ingress_each_client_address_has_its_own_bucket_and_a_spoofed_earlier_hop_changes_nothing()
    {
        using var factory = new Edge().WithWebHostBuilder(b => b.UseSetting("Edge:TrustForwardedHeaders", "true"));
        async Task<HttpStatusCode> AsClientAsync(string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/catalog/resources");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var client = factory.CreateClient();
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
            first.Add(await AsClientAsync($"198.51.100.{i}, 203.0.113.10")); // the client varies only the hop it controls

        first.Skip(5).Should().OnlyContain(s => s == HttpStatusCode.TooManyRequests, "the ingress's own entry (the last) decides the bucket");
        (await AsClientAsync("203.0.113.11")).Should().NotBe(HttpStatusCode.TooManyRequests, "another client address has its own bucket");
    }

    [Fact]
    public async Task Anything_the_web_app_answers_carries_the_browser_security_headers()
    {
        using var client = edge.CreateClient();
        foreach (var path in new[] { "/", "/api/nothing/here", "/healthz" })
        {
            using var response = await client.GetAsync(path);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
            response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        }
    }

    [Fact]
    public async Task An_unreachable_sidecar_is_a_503_with_Retry_After_not_a_502()
    {
        using var client = new Edge().WithWebHostBuilder(b => b.UseSetting("Edge:RateLimit:TokenLimit", "100")).CreateClient();

        using var response = await client.GetAsync("api/catalog/resources");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
    }
}
