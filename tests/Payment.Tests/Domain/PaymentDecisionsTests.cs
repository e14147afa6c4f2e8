using Payment.Domain;

namespace Payment.Tests.Domain;

public sealed class PaymentDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly PaymentRequest Request = new("0123456789abcdef0123456789abcdef", "customer-1", 42.50m, "EUR");
    private static readonly OrderClosure Cancelled = new("0123456789abcdef0123456789abcdef", "customer-1", 42.50m, "cancelled", "changed my mind");

    [Fact]
    public void An_approved_request_for_a_new_order_captures_the_amount_once()
    {
        var outcome = PaymentDecisions.Request(null, Request, GatewayDecision.Approve(), Now);

        var captured = outcome.Should().BeOfType<RequestOutcome.Captured>().Subject;
        captured.Payment.Status.Should().Be(PaymentStatus.Captured);
        captured.Payment.OrderId.Should().Be("0123456789abcdef0123456789abcdef");
        captured.Payment.CustomerId.Should().Be("customer-1");
        captured.Payment.Amount.Should().Be(42.50m);
        captured.Payment.Currency.Should().Be("EUR");
        captured.Payment.PaymentId.Should().NotBeNullOrEmpty();
        captured.Payment.Version.Should().Be(1);
        captured.Payment.CreatedAt.Should().Be(Now);
        captured.Capture.Kind.Should().Be(TransactionKind.Capture);
        captured.Capture.OrderId.Should().Be("0123456789abcdef0123456789abcdef");
        captured.Capture.Amount.Should().Be(42.50m);
        captured.Capture.At.Should().Be(Now);
    }

    [Fact]
    public void A_declined_request_records_the_reason_and_takes_nothing()
    {
        var outcome = PaymentDecisions.Request(null, Request, GatewayDecision.Decline("insufficient funds"), Now);

        var declined = outcome.Should().BeOfType<RequestOutcome.Declined>().Subject;
        declined.Payment.Status.Should().Be(PaymentStatus.Declined);
        declined.Payment.Reason.Should().Be("insufficient funds");
    }

    [Theory]
    [InlineData(PaymentStatus.Captured)]
    [InlineData(PaymentStatus.Declined)]
    [InlineData(PaymentStatus.Refunded)]
    [InlineData(PaymentStatus.Voided)]
    public void A_request_for_an_order_that_already_has_a_payment_changes_nothing(PaymentStatus status)
    {
        var existing = PaymentIn(status);
        var version = existing.Version;

        var outcome = PaymentDecisions.Request(existing, Request with { Amount = 99m }, GatewayDecision.Approve(), Now.AddMinutes(1));

        outcome.Should().BeOfType<RequestOutcome.AlreadyHandled>().Which.Existing.Should().BeSameAs(existing);
        existing.Status.Should().Be(status);
        existing.Version.Should().Be(version);
        existing.Amount.Should().Be(42.50m);
    }

    [Fact]
    public void A_request_for_a_new_order_without_a_provider_answer_is_refused_rather_than_guessed()
    {
        var decide = () => PaymentDecisions.Request(null, Request, decision: null, Now);

        decide.Should().Throw<InvalidOperationException>().WithMessage("*0123456789abcdef0123456789abcdef*");
    }

    [Fact]
    public void Closing_an_order_with_a_captured_payment_refunds_the_captured_amount()
    {
        var payment = PaymentIn(PaymentStatus.Captured);

        var outcome = PaymentDecisions.Close(payment, Cancelled with { Amount = 1m }, Now.AddMinutes(5));

        var refunded = outcome.Should().BeOfType<CloseOutcome.Refunded>().Subject;
        refunded.Payment.Status.Should().Be(PaymentStatus.Refunded);
        refunded.Payment.Version.Should().Be(2, "the write must carry a new version so a racing close loses");
        refunded.Payment.UpdatedAt.Should().Be(Now.AddMinutes(5));
        refunded.Payment.Reason.Should().Be("order cancelled");
        refunded.Refund.Kind.Should().Be(TransactionKind.Refund);
        refunded.Refund.Amount.Should().Be(42.50m, "what was captured is given back, whatever the closure claims");
    }

    [Fact]
    public void Closing_an_order_nobody_charged_yet_voids_it_so_a_late_request_charges_nothing()
    {
        var closed = PaymentDecisions.Close(null, Cancelled with { Status = "expired" }, Now);

        var voided = closed.Should().BeOfType<CloseOutcome.Voided>().Subject.Payment;
        voided.Status.Should().Be(PaymentStatus.Voided);
        voided.Currency.Should().Be(OrderPayment.NoCurrency);
        voided.Reason.Should().Be("order expired before payment");

        PaymentDecisions.Request(voided, Request, GatewayDecision.Approve(), Now.AddSeconds(1))
            .Should().BeOfType<RequestOutcome.AlreadyHandled>();
        voided.Status.Should().Be(PaymentStatus.Voided);
    }

    [Theory]
    [InlineData(PaymentStatus.Declined)]
    [InlineData(PaymentStatus.Voided)]
    [InlineData(PaymentStatus.Refunded)]
    public void Closing_an_order_whose_payment_took_no_money_or_gave_it_back_does_nothing(PaymentStatus status)
    {
        var payment = PaymentIn(status);
        var version = payment.Version;

        var outcome = PaymentDecisions.Close(payment, Cancelled, Now.AddMinutes(1));

        outcome.Should().BeOfType<CloseOutcome.NothingToDo>();
        payment.Status.Should().Be(status);
        payment.Version.Should().Be(version);
    }

    [Fact]
    public void A_second_refund_answers_already_refunded_and_changes_nothing()
    {
        var payment = PaymentIn(PaymentStatus.Captured);
        PaymentDecisions.Refund(payment, "by an operator", Now).Should().BeOfType<RefundOutcome.Refunded>();
        var version = payment.Version;

        var again = PaymentDecisions.Refund(payment, "by an operator", Now.AddMinutes(1));

        again.Should().BeOfType<RefundOutcome.AlreadyRefunded>();
        payment.Version.Should().Be(version);
        payment.UpdatedAt.Should().Be(Now);
    }

    [Theory]
    [InlineData(PaymentStatus.Declined)]
    [InlineData(PaymentStatus.Voided)]
    public void A_payment_that_took_no_money_cannot_be_refunded(PaymentStatus status)
    {
        PaymentDecisions.Refund(PaymentIn(status), "by an operator", Now).Should().BeOfType<RefundOutcome.NotRefundable>();
    }

    [Fact]
    public void A_long_reason_from_another_service_is_clipped_to_the_column()
    {
        var outcome = PaymentDecisions.Request(null, Request, GatewayDecision.Decline(new string('x', 1000)), Now);

        outcome.Should().BeOfType<RequestOutcome.Declined>().Which.Payment.Reason.Should().HaveLength(PaymentRules.ReasonMaxLength);
    }

    /// <summary>A stored payment in the given status, reached through the decisions themselves.</summary>
    internal static OrderPayment PaymentIn(PaymentStatus status)
    {
        var start = Now.AddMinutes(-10);
        return status switch
        {
            PaymentStatus.Captured => ((RequestOutcome.Captured)PaymentDecisions.Request(null, Request, GatewayDecision.Approve(), start)).Payment,
            PaymentStatus.Declined => ((RequestOutcome.Declined)PaymentDecisions.Request(null, Request, GatewayDecision.Decline("no"), start)).Payment,
            PaymentStatus.Voided => ((CloseOutcome.Voided)PaymentDecisions.Close(null, Cancelled, start)).Payment,
            PaymentStatus.Refunded => ((CloseOutcome.Refunded)PaymentDecisions.Close(PaymentIn(PaymentStatus.Captured), Cancelled, start)).Payment,
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
    }
}
