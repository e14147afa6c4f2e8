using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DevIdentity;

/// <summary>
/// The identity a signed-in demo user gets in tokens, shaped like Entra ID's: <c>sub</c>, <c>name</c> and, for
/// <c>admin</c> only, <c>roles</c> as a JSON array (Entra's app roles claim), so the services' one validation code
/// path sees the same claims locally and on Azure.
/// </summary>
public static class DemoUsers
{
    public const string RolesClaim = "roles";

    public static string[] RolesOf(string name) => name == IdentitySettings.AdminName ? [IdentitySettings.AdminRole] : [];

    /// <summary>An identity for <paramref name="name"/> (already validated) with every claim's destinations set.</summary>
    public static ClaimsIdentity CreateIdentity(string name)
    {
        var identity = new ClaimsIdentity(
            authenticationType: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            nameType: Claims.Name,
            roleType: RolesClaim);
        identity.AddClaim(Claims.Subject, name);
        identity.AddClaim(Claims.Name, IdentitySettings.DisplayName(name));
        var roles = RolesOf(name);
        if (roles.Length > 0)
        {
            // A JSON array claim, so the token carries "roles": ["admin"] (as Entra does) rather than a lone string
            // (one plain claim serialises as a string; OpenIddict's AddClaim refuses array elements).
            identity.AddClaim(new Claim(RolesClaim, JsonSerializer.Serialize(roles), JsonClaimValueTypes.JsonArray));
        }
        // Every claim here belongs in the access token (the services read it) and the identity token (web reads it).
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return identity;
    }
}
