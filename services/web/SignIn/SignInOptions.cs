using Microsoft.Extensions.Options;

namespace Web.SignIn;

/// <summary>
/// The web app as an OpenID Connect client (section <c>SignIn</c>); the provider is <c>Auth:Authority</c>, the one
/// every service trusts. Entra ID: the web app registration (confidential client) and the API's scope
/// <c>api://{api-client-id}/access_as_user</c>; locally tools/DevIdentity's client <c>web</c> and scope <c>access_as_user</c>.
/// </summary>
public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    public string ClientId { get; set; } = "";

    /// <summary>From a secret store on Azure (Kubernetes Secret <c>web-signin</c>), never from a checked-in file.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The full scope string of the API, requested beside <c>openid profile offline_access</c>.</summary>
    public string ApiScope { get; set; } = "";

    /// <summary>Idle time after which a session ends; every request slides it.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long before the access token expires the server refreshes it.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.ClientId))
            failures.Add("SignIn:ClientId is required (the web app's client id at the provider).");
        if (string.IsNullOrWhiteSpace(options.ClientSecret))
            failures.Add("SignIn:ClientSecret is required (the web app is a confidential client).");
        if (string.IsNullOrWhiteSpace(options.ApiScope) || options.ApiScope.Contains(' '))
            failures.Add("SignIn:ApiScope must be the API's one scope (Entra ID: api://{api-client-id}/access_as_user).");
        if (options.SessionIdleTimeout <= TimeSpan.Zero || options.RefreshBefore < TimeSpan.Zero)
            failures.Add("SignIn:SessionIdleTimeout must be positive and SignIn:RefreshBefore not negative.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
