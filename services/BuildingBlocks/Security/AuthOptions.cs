using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// Whose access tokens a service accepts (section <c>Auth</c>), the same settings everywhere: on Azure the tenant's
/// Microsoft Entra ID (<c>https://login.microsoftonline.com/{tenant}/v2.0</c>), in local runs the repo's OpenID Connect
/// provider (tools/DevIdentity). Signing keys always come from the authority's discovery document, never from config.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The API scope a person's token must carry (Entra: the delegated scope of the API registration).</summary>
    public const string DefaultScope = "access_as_user";

    /// <summary>OpenID Connect issuer whose discovery document and keys are trusted.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// The <c>aud</c> every token must carry. Entra ID v2 access tokens (the API registration sets
    /// <c>accessTokenAcceptedVersion: 2</c>) carry the API's client id; the local provider <c>api://daprreservations</c>.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>Scope required by the customer and admin policies, in <c>scp</c> (Entra) or <c>scope</c> (RFC 9068).</summary>
    public string Scope { get; set; } = DefaultScope;

    /// <summary>False only for the local provider, which serves plain http on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>App ids allowed to call internal (saga) endpoints through their Dapr sidecar.</summary>
    public string[] InternalCallers { get; set; } = [];
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            return ValidateOptionsResult.Fail(
                "Auth:Authority must name the OpenID Connect issuer (Entra ID: https://login.microsoftonline.com/{tenant}/v2.0; local runs: the DevIdentity URL).");
        if (authority.Scheme == "http" && options.RequireHttpsMetadata)
            return ValidateOptionsResult.Fail("Auth:Authority is plain http: only the local provider may be, with Auth:RequireHttpsMetadata=false.");
        if (string.IsNullOrWhiteSpace(options.Audience))
            return ValidateOptionsResult.Fail("Auth:Audience is required (Entra ID: the API registration's client id).");
        if (string.IsNullOrWhiteSpace(options.Scope) || options.Scope.Contains(' '))
            return ValidateOptionsResult.Fail("Auth:Scope must be one scope name (e.g. access_as_user).");
        return ValidateOptionsResult.Success;
    }
}
