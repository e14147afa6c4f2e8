using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payment.Domain;
using Payment.Infrastructure;

namespace Payment.Tests.Domain;

public sealed class SimulatedPaymentGatewayTests
{
    private static readonly PaymentRequest Request = new("0123456789abcdef0123456789abcdef", "customer-1", 10m, "EUR");

    [Fact]
    public async Task The_answer_comes_only_after_the_configured_latency_on_the_injected_clock()
    {
        var clock = new FakeTimeProvider();
        var settings = new PaymentOptions { MinLatency = TimeSpan.FromMilliseconds(200), MaxLatency = TimeSpan.FromMilliseconds(200) };
        var gateway = new SimulatedPaymentGateway(Options.Create(settings), clock, new Random(7));

        var pending = gateway.AuthorizeAsync(Request, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(199));
        pending.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));

        (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Approved.Should().BeTrue();
    }

    [Theory]
    [InlineData(0.0, 100)]
    [InlineData(0.5, 300)]
    [InlineData(0.999, 499.6)]
    public void The_latency_lies_between_min_and_max(double roll, double expectedMs)
    {
        var settings = new PaymentOptions { MinLatency = TimeSpan.FromMilliseconds(100), MaxLatency = TimeSpan.FromMilliseconds(500) };

        SimulatedPaymentGateway.Latency(settings, roll).TotalMilliseconds.Should().BeApproximately(expectedMs, 0.001);
    }

    [Theory]
    [InlineData(0.0, 0.0, true)]
    [InlineData(0.0, 0.999, true)]
    [InlineData(0.3, 0.29, false)]
    [InlineData(0.3, 0.3, true)]
    [InlineData(1.0, 0.999, false)]
    public void A_charge_is_declined_when_its_roll_falls_under_the_failure_rate(double failureRate, double roll, bool approved)
    {
        var decision = SimulatedPaymentGateway.Decide(new PaymentOptions { FailureRate = failureRate }, Request, roll);

        decision.Approved.Should().Be(approved);
        decision.DeclineReason.Should().Be(approved ? null : SimulatedPaymentGateway.SimulatedFailureReason);
    }

    [Fact]
    public void Customers_on_the_decline_list_are_always_declined_and_others_are_not()
    {
        var settings = new PaymentOptions { FailureRate = 0, DeclineCustomers = ["customer-1"] };

        SimulatedPaymentGateway.Decide(settings, Request, roll: 0.99).Should()
            .Be(GatewayDecision.Decline(SimulatedPaymentGateway.DeclinedCustomerReason));
        SimulatedPaymentGateway.Decide(settings, Request with { CustomerId = "customer-2" }, roll: 0.0).Approved.Should().BeTrue();
    }

    [Fact]
    public async Task Over_many_charges_the_decline_share_follows_the_failure_rate()
    {
        var settings = new PaymentOptions { MinLatency = TimeSpan.Zero, MaxLatency = TimeSpan.Zero, FailureRate = 0.3 };
        var gateway = new SimulatedPaymentGateway(Options.Create(settings), TimeProvider.System, new Random(42));

        var declined = 0;
        for (var i = 0; i < 2000; i++)
            declined += (await gateway.AuthorizeAsync(Request, CancellationToken.None)).Approved ? 0 : 1;

        (declined / 2000.0).Should().BeApproximately(0.3, 0.04);
    }

    [Fact]
    public void Settings_are_validated_on_start()
    {
        var validator = new PaymentOptionsValidator();

        validator.Validate(null, new PaymentOptions()).Succeeded.Should().BeTrue();
        validator.Validate(null, new PaymentOptions { FailureRate = 1.0 }).Succeeded.Should().BeTrue();
        Failures(new PaymentOptions { FailureRate = 1.5 }).Should().Contain("FailureRate");
        Failures(new PaymentOptions { FailureRate = double.NaN }).Should().Contain("FailureRate");
        Failures(new PaymentOptions { MinLatency = TimeSpan.FromMilliseconds(-1) }).Should().Contain("MinLatency");
        Failures(new PaymentOptions { MinLatency = TimeSpan.FromSeconds(2), MaxLatency = TimeSpan.FromSeconds(1) }).Should().Contain("MaxLatency");
        Failures(new PaymentOptions { MaxLatency = TimeSpan.FromMinutes(1) }).Should().Contain("MaxLatency");
        Failures(new PaymentOptions { DeclineCustomers = [""] }).Should().Contain("DeclineCustomers");

        string Failures(PaymentOptions options) => validator.Validate(null, options).FailureMessage ?? "";
    }
}
