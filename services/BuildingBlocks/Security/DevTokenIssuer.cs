using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// Mints HMAC-signed JWTs for local runs and tests: the same claims Entra ID puts in an access token
/// (<c>sub</c>, <c>name</c>, <c>roles</c>), so services validate both the same way.
/// </summary>
public sealed class DevTokenIssuer(string signingKey, string issuer = DevTokenIssuer.DefaultIssuer, string audience = DevTokenIssuer.DefaultAudience)
{
    public const string DefaultIssuer = "daprreservations-dev";
    public const string DefaultAudience = "api://daprreservations";

    public static SymmetricSecurityKey KeyFrom(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    public string Issue(string subject, string? name = null, IEnumerable<string>? roles = null, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object> { [ClaimNames.Subject] = subject };
        if (name is not null)
            claims[ClaimNames.Name] = name;
        var roleList = roles?.ToArray() ?? [];
        if (roleList.Length > 0)
            claims[ClaimNames.Roles] = roleList;

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(KeyFrom(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>The claim names both issuers use (no inbound claim mapping, so they arrive as written).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Roles = "roles";
}

public static class Roles
{
    public const string Admin = "admin";
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The customer a request acts for: the token's subject.</summary>
    public static string CustomerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimNames.Subject)
        ?? throw new InvalidOperationException("No subject: the endpoint must require an authenticated customer.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}
