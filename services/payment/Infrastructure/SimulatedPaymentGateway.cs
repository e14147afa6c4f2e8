using Microsoft.Extensions.Options;
using Payment.Domain;

namespace Payment.Infrastructure;

/// <summary>
/// A stand-in for a card processor: answers after a random latency, declines listed customers always and the rest
/// at the configured rate. The latency is real waiting (on the injected clock), so callers feel what a remote
/// provider costs and must not hold a database transaction across it.
/// </summary>
public sealed class SimulatedPaymentGateway(IOptions<PaymentOptions> options, TimeProvider time, Random? random = null) : IPaymentGateway
{
    public const string DeclinedCustomerReason = "card declined (customer on the decline list)";
    public const string SimulatedFailureReason = "card declined (simulated provider failure)";

    private readonly Random _random = random ?? Random.Shared;

    public async Task<GatewayDecision> AuthorizeAsync(PaymentRequest request, CancellationToken ct)
    {
        var settings = options.Value;
        double latencyRoll, failureRoll;
        lock (_random)
        {
            latencyRoll = _random.NextDouble();
            failureRoll = _random.NextDouble();
        }

        var latency = Latency(settings, latencyRoll);
        if (latency > TimeSpan.Zero)
            await Task.Delay(latency, time, ct);
        return Decide(settings, request, failureRoll);
    }

    /// <summary>A point in [min, max] chosen by <paramref name="roll"/> ∈ [0, 1).</summary>
    internal static TimeSpan Latency(PaymentOptions settings, double roll) =>
        settings.MinLatency + (settings.MaxLatency - settings.MinLatency) * roll;

    /// <summary>Declines listed customers, and a charge whose <paramref name="roll"/> ∈ [0, 1) falls under the failure rate.</summary>
    internal static GatewayDecision Decide(PaymentOptions settings, PaymentRequest request, double roll)
    {
        if (settings.DeclineCustomers.Contains(request.CustomerId, StringComparer.Ordinal))
            return GatewayDecision.Decline(DeclinedCustomerReason);
        return roll < settings.FailureRate ? GatewayDecision.Decline(SimulatedFailureReason) : GatewayDecision.Approve();
    }
}
