using System.Text;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fuzz.Generators;

/// <summary>
/// Who a request claims to be. Valid tokens come from the project's own <see cref="DevTokenIssuer"/> with the system's
/// development signing key; the rest are tokens a server must refuse (unsigned, wrong key, wrong audience, expired,
/// oversized, not ASCII).
/// </summary>
public sealed class Credentials
{
    /// <summary>Owns the seeded holds and orders; the fuzzer uses this token only for reads.</summary>
    public const string Owner = "fuzz-owner";

    /// <summary>A signed-in customer who owns nothing: every write of theirs on the owner's things must be refused.</summary>
    public const string Stranger = "fuzz-stranger";

    public Credentials(string signingKey)
    {
        var issuer = new DevTokenIssuer(signingKey);
        AdminToken = issuer.Issue("admin", "Admin", [Roles.Admin]);
        OwnerToken = issuer.Issue(Owner, "Owner");
        StrangerToken = issuer.Issue(Stranger, "Stranger");
        var wrongKey = new DevTokenIssuer("a-different-signing-key-that-no-service-trusts-0123456789");
        var wrongAudience = new DevTokenIssuer(signingKey, audience: "api://someone-else");
        var wrongIssuer = new DevTokenIssuer(signingKey, issuer: "someone-else");
        Refused =
        [
            "Bearer " + wrongKey.Issue("admin", "Admin", [Roles.Admin]),
            "Bearer " + wrongAudience.Issue("admin", "Admin", [Roles.Admin]),
            "Bearer " + wrongIssuer.Issue("admin", "Admin", [Roles.Admin]),
            "Bearer " + Unsigned("admin"),
            "Bearer " + Tamper(AdminToken),
            "Bearer " + Expired(signingKey),
            "Bearer ", "Bearer", "bearer x", "Bearer a.b.c", "Bearer ..", "Bearer " + new string('x', 16 * 1024),
            "Bearer 예약", "Bearer \ud800", "Basic YWRtaW46YWRtaW4=", "Negotiate abc", "Bearer " + AdminToken + " extra",
            "Bearer " + AdminToken[..^5], "Bearer\t" + Unsigned("fuzz"), "Digest x",
        ];
    }

    public string AdminToken { get; }
    public string OwnerToken { get; }
    public string StrangerToken { get; }

    public IReadOnlyList<string> Refused { get; }

    /// <summary><c>alg: none</c>: a server that skips signature checks would take this for the admin.</summary>
    private static string Unsigned(string subject)
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Segment("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Segment($"{{\"sub\":\"{subject}\",\"roles\":[\"admin\"],\"iss\":\"{DevTokenIssuer.DefaultIssuer}\",\"aud\":\"{DevTokenIssuer.DefaultAudience}\",\"exp\":{now + 3600},\"nbf\":{now - 60}}}") + ".";
    }

    /// <summary>The admin's token with its payload changed and the old signature kept.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = parts[1].Length > 4 ? parts[1][..^4] + (parts[1][^4] == 'A' ? "BBBB" : "AAAA") : parts[1];
        return $"{parts[0]}.{payload}.{parts[2]}";
    }

    /// <summary>Signed with the right key, expired two hours ago (far beyond any clock-skew allowance).</summary>
    private static string Expired(string signingKey)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevTokenIssuer.DefaultIssuer,
            Audience = DevTokenIssuer.DefaultAudience,
            Claims = new Dictionary<string, object> { [ClaimNames.Subject] = "admin", [ClaimNames.Roles] = new[] { Roles.Admin } },
            IssuedAt = now.AddHours(-3),
            NotBefore = now.AddHours(-3),
            Expires = now.AddHours(-2),
            SigningCredentials = new SigningCredentials(DevTokenIssuer.KeyFrom(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
