using System.Text;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.Testing;

namespace Fuzz.Generators;

/// <summary>
/// Who a request claims to be. Valid tokens come from the system's authority: the test authority of a system this
/// command started (<see cref="TestIdentity"/>), or tools/DevIdentity's scripted grant for a running system. The rest
/// are tokens a server must refuse (unsigned, another key, another audience or issuer, expired, oversized, not ASCII);
/// against the test authority the audience, issuer and expiry probes even carry a valid signature.
/// </summary>
public sealed class Credentials
{
    /// <summary>Owns the seeded holds and orders; the fuzzer uses this token only for reads.</summary>
    public const string Owner = "fuzz-owner";

    /// <summary>A signed-in customer who owns nothing: every write of theirs on the owner's things must be refused.</summary>
    public const string Stranger = "fuzz-stranger";

    private Credentials(string admin, string owner, string stranger, string issuer, bool trustedKey)
    {
        AdminToken = admin;
        OwnerToken = owner;
        StrangerToken = stranger;
        var key = trustedKey ? null : TestIdentity.ForeignKey();
        string Mint(TokenShape shape) => TestIdentity.Mint(shape with { Key = shape.Key ?? key, Issuer = shape.Issuer ?? issuer });
        Refused =
        [
            "Bearer " + Mint(new TokenShape("admin", [Roles.Admin], Key: TestIdentity.ForeignKey())),
            "Bearer " + Mint(new TokenShape("admin", [Roles.Admin], Audience: "api://someone-else")),
            "Bearer " + Mint(new TokenShape("admin", [Roles.Admin], Issuer: "https://someone-else.example/")),
            "Bearer " + Mint(new TokenShape("admin", [Roles.Admin], Lifetime: TimeSpan.FromHours(-2))),
            "Bearer " + Unsigned("admin", issuer),
            "Bearer " + Tamper(AdminToken),
            "Bearer ", "Bearer", "bearer x", "Bearer a.b.c", "Bearer ..", "Bearer " + new string('x', 16 * 1024),
            "Bearer 예약", "Bearer \ud800", "Basic YWRtaW46YWRtaW4=", "Negotiate abc", "Bearer " + AdminToken + " extra",
            "Bearer " + AdminToken[..^5], "Bearer\t" + Unsigned("fuzz", issuer), "Digest x",
        ];
    }

    public string AdminToken { get; }
    public string OwnerToken { get; }
    public string StrangerToken { get; }

    public IReadOnlyList<string> Refused { get; }

    /// <summary>Tokens of the in-process test authority every app of a system this command started trusts.</summary>
    public static Credentials Minted() => new(
        TestIdentity.Token("admin", admin: true), TestIdentity.Token(Owner), TestIdentity.Token(Stranger), TestIdentity.Issuer, trustedKey: true);

    /// <summary>Tokens from a running tools/DevIdentity (the scripted grant).</summary>
    public static async Task<Credentials> FromProviderAsync(Uri authority, CancellationToken cancel) => new(
        await DevIdentityGrant.TokenAsync(authority, "admin", cancel),
        await DevIdentityGrant.TokenAsync(authority, Owner, cancel),
        await DevIdentityGrant.TokenAsync(authority, Stranger, cancel),
        authority.ToString(), trustedKey: false);

    /// <summary><c>alg: none</c>: a server that skips signature checks would take this for the admin.</summary>
    private static string Unsigned(string subject, string issuer)
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Segment("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Segment($"{{\"sub\":\"{subject}\",\"roles\":[\"admin\"],\"scp\":\"access_as_user\",\"iss\":\"{issuer}\",\"aud\":\"{TestIdentity.Audience}\",\"exp\":{now + 3600},\"nbf\":{now - 60}}}") + ".";
    }

    /// <summary>The admin's token with its payload changed and the old signature kept.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = parts[1].Length > 4 ? parts[1][..^4] + (parts[1][^4] == 'A' ? "BBBB" : "AAAA") : parts[1];
        return $"{parts[0]}.{payload}.{parts[2]}";
    }
}
