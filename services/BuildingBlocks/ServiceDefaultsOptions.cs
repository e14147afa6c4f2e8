using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks;

/// <summary>Settings every service shares, bound from the "ServiceDefaults" configuration section.</summary>
public sealed class ServiceDefaultsOptions
{
    public const string SectionName = "ServiceDefaults";

    /// <summary>
    /// The service's Dapr app id (catalog, reservation, ...): it names the service in traces, metrics and logs, so a
    /// reader can follow a call by one name. Falls back to <c>APP_ID</c>, which <c>dapr run</c> exports to the app.
    /// </summary>
    public string ServiceName { get; set; } = "";

    /// <summary>Reported as <c>service.version</c>; defaults to the entry assembly's informational version.</summary>
    public string? ServiceVersion { get; set; }

    /// <summary>How long the readiness probe waits for the sidecar's <c>/v1.0/healthz</c> before calling it down.</summary>
    public TimeSpan DaprHealthTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

internal sealed partial class ServiceDefaultsOptionsValidator : IValidateOptions<ServiceDefaultsOptions>
{
    internal static readonly TimeSpan MinimumHealthTimeout = TimeSpan.FromMilliseconds(50);
    internal static readonly TimeSpan MaximumHealthTimeout = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, ServiceDefaultsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceName))
            failures.Add($"{ServiceDefaultsOptions.SectionName}:{nameof(options.ServiceName)} is required (or set APP_ID).");
        else if (!AppIdPattern().IsMatch(options.ServiceName))
            failures.Add($"{ServiceDefaultsOptions.SectionName}:{nameof(options.ServiceName)} '{options.ServiceName}' must be a Dapr app id: lowercase letters, digits and inner hyphens.");

        if (options.DaprHealthTimeout < MinimumHealthTimeout || options.DaprHealthTimeout > MaximumHealthTimeout)
            failures.Add($"{ServiceDefaultsOptions.SectionName}:{nameof(options.DaprHealthTimeout)} must lie between {MinimumHealthTimeout} and {MaximumHealthTimeout}.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Same shape as a Kubernetes DNS label, which is what Dapr app ids become on AKS.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex AppIdPattern();
}
