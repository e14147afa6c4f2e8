using System.Security.Claims;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// The claim names of an access token, as Entra ID and the local provider write them (no inbound claim mapping, so
/// they arrive as written).
/// </summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Roles = "roles";

    /// <summary>Entra ID: the delegated scopes, space-separated.</summary>
    public const string EntraScopes = "scp";

    /// <summary>RFC 9068 (OpenIddict and most providers): the scopes, space-separated.</summary>
    public const string Scope = "scope";
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

    /// <summary>Whether the token grants <paramref name="scope"/> (in <c>scp</c> or <c>scope</c>, one value or several).</summary>
    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.Claims
            .Where(c => c.Type is ClaimNames.EntraScopes or ClaimNames.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);

    /// <summary>A person acting through the API: authenticated, with a subject and the API scope.</summary>
    public static bool IsApiUser(this ClaimsPrincipal user, string scope) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(ClaimNames.Subject) is not null && user.HasScope(scope);
}
