using Microsoft.Extensions.Options;

namespace Payment;

/// <summary>
/// The simulated provider's knobs (section <c>Payment</c>, validated on start). Each charge waits a random time in
/// [<see cref="MinLatency"/>, <see cref="MaxLatency"/>], then is declined with probability <see cref="FailureRate"/>;
/// customers listed in <see cref="DeclineCustomers"/> are always declined, so a test or a demo can pick the outcome.
/// </summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payment";

    public static readonly TimeSpan MaxConfigurableLatency = TimeSpan.FromSeconds(30);

    public TimeSpan MinLatency { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>0 = every charge succeeds, 1 = every charge is declined.</summary>
    public double FailureRate { get; set; }

    /// <summary>Customer ids whose charges are always declined (deterministic failures for tests and demos).</summary>
    public string[] DeclineCustomers { get; set; } = [];
}

internal sealed class PaymentOptionsValidator : IValidateOptions<PaymentOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentOptions options)
    {
        var failures = new List<string>();
        if (options.MinLatency < TimeSpan.Zero || options.MinLatency > PaymentOptions.MaxConfigurableLatency)
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.MinLatency)} must lie between 0 and {PaymentOptions.MaxConfigurableLatency}.");
        if (options.MaxLatency < options.MinLatency || options.MaxLatency > PaymentOptions.MaxConfigurableLatency)
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.MaxLatency)} must lie between {nameof(options.MinLatency)} and {PaymentOptions.MaxConfigurableLatency}.");
        if (double.IsNaN(options.FailureRate) || options.FailureRate is < 0 or > 1)
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.FailureRate)} must lie between 0 and 1.");
        if (options.DeclineCustomers.Any(string.IsNullOrWhiteSpace))
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.DeclineCustomers)} must not contain empty ids.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
