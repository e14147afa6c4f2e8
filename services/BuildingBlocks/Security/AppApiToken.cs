using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// APP_API_TOKEN: the secret a Dapr sidecar presents as <c>dapr-api-token</c> on every call it makes to its app
/// (daprd reads the same variable). Only something holding it can be the sidecar, so routes only a sidecar may call
/// (subscriptions, <c>/dapr/*</c>, <c>/actors/*</c>) and internal saga steps require it. Local runs generate one per
/// app and run; AKS injects it from a Secret (annotation <c>dapr.io/app-token-secret</c>, docs/security.md).
/// </summary>
public sealed class AppApiToken
{
    public const string ConfigurationKey = "APP_API_TOKEN";
    public const string Header = "dapr-api-token";

    private readonly byte[]? expected;

    public AppApiToken(IConfiguration configuration)
    {
        var token = configuration[ConfigurationKey];
        expected = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);
    }

    /// <summary>False only in Development without a token: then no request is the sidecar (everything is refused).</summary>
    public bool IsConfigured => expected is not null;

    /// <summary>The request carries the app token (constant-time compare; an unconfigured token matches nothing).</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        if (expected is null || !request.Headers.TryGetValue(Header, out var values) || values.Count != 1)
            return false;
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(values.ToString()));
    }
}

/// <summary>Outside Development a service does not start without APP_API_TOKEN (a sidecar-only route would be open).</summary>
internal sealed class AppApiTokenStartupCheck(IConfiguration configuration, IHostEnvironment environment)
    : IValidateOptions<ServiceDefaultsOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceDefaultsOptions options) =>
        environment.IsDevelopment() || !string.IsNullOrEmpty(configuration[AppApiToken.ConfigurationKey])
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{AppApiToken.ConfigurationKey} is required outside Development: the Dapr sidecar proves itself with it " +
                "(Kubernetes: a Secret named by the dapr.io/app-token-secret annotation and the app's env; see docs/security.md).");
}
