using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.Testing;

namespace Security.Tests;

/// <summary>
/// (d) Tampered tokens and (e) one customer reaching for another's hold, order or payment, through the edge.
/// </summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class IdentityProbeTests(SecuritySystem system)
{
    public static TheoryData<string> Tampered => new() { "alg none", "wrong key", "expired", "wrong audience", "wrong issuer", "garbage", "signature stripped", "hs256" };

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task A_tampered_token_is_401_and_places_nothing(string how)
    {
        using var client = system.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(how));
        var before = await system.SnapshotAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/reservation/holds") { Content = JsonContent.Create(new { slotId = system.SlotId, quantity = 1 }) };
        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, how);
        (await system.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task The_same_request_with_a_valid_token_is_accepted()
    {
        using var client = system.Client("dora");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/reservation/holds") { Content = JsonContent.Create(new { slotId = system.SlotId, quantity = 1 }) };
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var hold = await SecuritySystem.ReadAsync(response);
        (await client.DeleteAsync($"api/reservation/holds/{hold.GetProperty("holdId").GetString()}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Another_customer_cannot_read_release_order_pay_or_cancel_what_is_alices()
    {
        var before = await system.SnapshotAsync();
        using var bob = system.Client("bob");

        (await bob.GetAsync($"api/reservation/holds/{system.HoldId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.DeleteAsync($"api/reservation/holds/{system.HoldId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.GetAsync($"api/ordering/orders/{system.OrderId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.PostAsync($"api/ordering/orders/{system.OrderId}/pay", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.PostAsync($"api/ordering/orders/{system.OrderId}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.GetStringAsync("api/ordering/orders")).Should().NotContain(system.OrderId);
        (await bob.GetAsync($"api/payment/payments/{system.OrderId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var order = new HttpRequestMessage(HttpMethod.Post, "api/ordering/orders") { Content = JsonContent.Create(new { holdIds = new[] { system.HoldId } }) };
        order.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var stolen = await bob.SendAsync(order);
        ((int)stolen.StatusCode).Should().BeInRange(400, 499, "bob cannot order alice's hold");

        (await system.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_customer_is_no_admin()
    {
        using var alice = system.Client("alice");

        (await alice.PostAsJsonAsync("api/catalog/admin/resources", new { kind = "room", name = "mine" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await alice.PostAsync("api/reservation/admin/sweep", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await alice.GetAsync("api/ordering/admin/orders")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static string Token(string how) => how switch
    {
        "alg none" => Unsigned("""{"alg":"none","typ":"JWT"}""", Claims(TestIdentity.Issuer, TestIdentity.Audience, 3600)),
        "wrong key" => TestIdentity.Mint(new TokenShape("alice", [Roles.Admin], Key: TestIdentity.ForeignKey())),
        "expired" => TestIdentity.Mint(new TokenShape("alice", [Roles.Admin], Lifetime: TimeSpan.FromMinutes(-10))),
        "wrong audience" => TestIdentity.Mint(new TokenShape("alice", Audience: "api://someone-else")),
        "wrong issuer" => TestIdentity.Mint(new TokenShape("alice", Issuer: "https://evil.example/")),
        "signature stripped" => string.Join('.', TestIdentity.Token("alice").Split('.')[..2]) + ".",
        "hs256" => HmacSigned(Claims(TestIdentity.Issuer, TestIdentity.Audience, 3600)),
        _ => "not-a-jwt",
    };

    private static string Claims(string issuer, string audience, int seconds)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $$"""{"sub":"alice","iss":"{{issuer}}","aud":"{{audience}}","iat":{{now - 5}},"nbf":{{now - 5}},"exp":{{now + seconds}},"roles":["admin"],"scp":"access_as_user"}""";
    }

    /// <summary>Right claims, HMAC-signed (algorithm confusion): the services accept RSA signatures only.</summary>
    private static string HmacSigned(string payload)
    {
        var unsigned = $"{Base64Url("""{"alg":"HS256","typ":"JWT"}""")}.{Base64Url(payload)}";
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("any-key-an-attacker-picks-0123456789"), Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string Unsigned(string header, string payload) =>
        $"{Base64Url(header)}.{Base64Url(payload)}.";

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
