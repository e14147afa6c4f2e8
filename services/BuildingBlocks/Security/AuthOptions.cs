using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// Who may sign the bearer tokens a service accepts (section <c>Auth</c>). Production names an authority
/// (Microsoft Entra ID: <c>https://login.microsoftonline.com/{tenant}/v2.0</c>) and an audience; local runs and tests
/// share a development signing key instead, which <see cref="DevTokenIssuer"/> uses to mint tokens.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>OpenID Connect authority whose signing keys are trusted (production).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> every token must carry: the API's application id URI on Entra ID.</summary>
    public string Audience { get; set; } = DevTokenIssuer.DefaultAudience;

    /// <summary>Symmetric key (at least 32 characters) of the development issuer; never set in production.</summary>
    public string? DevSigningKey { get; set; }

    /// <summary>The <c>iss</c> of development tokens.</summary>
    public string DevIssuer { get; set; } = DevTokenIssuer.DefaultIssuer;

    /// <summary>App ids allowed to call internal (saga) endpoints through their Dapr sidecar.</summary>
    public string[] InternalCallers { get; set; } = [];
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority);
        var hasDevKey = !string.IsNullOrWhiteSpace(options.DevSigningKey);
        if (!hasAuthority && !hasDevKey)
            return ValidateOptionsResult.Fail(
                "Auth: set Auth:Authority and Auth:Audience (Entra ID), or Auth:DevSigningKey for local runs.");
        if (hasAuthority && hasDevKey)
            return ValidateOptionsResult.Fail("Auth: Authority and DevSigningKey are exclusive; a production issuer never trusts the development key.");
        if (hasDevKey && options.DevSigningKey!.Length < 32)
            return ValidateOptionsResult.Fail("Auth:DevSigningKey must be at least 32 characters (HMAC-SHA256).");
        if (string.IsNullOrWhiteSpace(options.Audience))
            return ValidateOptionsResult.Fail("Auth:Audience is required.");
        return ValidateOptionsResult.Success;
    }
}
