using Ordering.Domain;

namespace Ordering.Tests.Domain;

/// <summary>The decision table of <see cref="PaymentCheck"/>: which payment events may move an order.</summary>
public sealed class PaymentCheckTests
{
    private const string PaymentId = "0193c8f0aa0b7c2d8e9f00112233aabb";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static Order AwaitingOrder()
    {
        var order = Order.Place("alice", [(new OrderLine("h1", "s1", 2, 12_000m), Now + TimeSpan.FromMinutes(10))], "KRW", null, null, Now);
        order.RequestPayment(Now);
        return order;
    }

    private static RecordedPayment Recorded(Order order, string status = RecordedPayment.Captured) =>
        new(order.Id, PaymentId, order.CustomerId, order.Amount, order.Currency, status);

    private static PaymentClaim Paid(decimal amount = 24_000m, string? currency = "KRW", string paymentId = PaymentId) =>
        PaymentClaim.Success(paymentId, amount, currency);

    [Fact]
    public void A_success_matching_the_order_and_a_captured_record_passes()
    {
        var order = AwaitingOrder();

        PaymentCheck.AgainstOrder(order, Paid()).Should().BeEmpty();
        PaymentCheck.AgainstRecord(order, Paid(), Recorded(order)).Should().BeEmpty();
        PaymentCheck.AgainstRecord(order, Paid(currency: null), Recorded(order)).Should().BeEmpty("older publishers sent no currency; payment's record has it");
    }

    [Theory]
    [InlineData(0, "KRW", "amount 0")]
    [InlineData(23_999.99, "KRW", "amount")]
    [InlineData(24_000, "USD", "currency USD")]
    public void A_success_with_another_amount_or_currency_than_the_order_is_refused_without_asking_payment(double amount, string currency, string named)
    {
        var order = AwaitingOrder();

        PaymentCheck.AgainstOrder(order, Paid((decimal)amount, currency)).Should().ContainSingle().Which.Should().Contain(named);
    }

    [Theory]
    [InlineData(null, "no payment")]
    [InlineData(RecordedPayment.Declined, "Declined")]
    [InlineData(RecordedPayment.Refunded, "Refunded")]
    [InlineData("Voided", "Voided")]
    public void A_success_without_a_captured_payment_on_record_is_refused_while_the_order_waits_for_payment(string? status, string named)
    {
        var order = AwaitingOrder();

        PaymentCheck.AgainstRecord(order, Paid(), status is null ? null : Recorded(order, status))
            .Should().ContainSingle().Which.Should().Contain(named);
    }

    [Fact]
    public void A_success_whose_payment_id_amount_currency_customer_or_order_differ_from_the_record_is_refused()
    {
        var order = AwaitingOrder();
        var record = Recorded(order);

        PaymentCheck.AgainstRecord(order, Paid(paymentId: "ffffffffffffffffffffffffffffffff"), record).Should().ContainSingle().Which.Should().Contain("payment id");
        PaymentCheck.AgainstRecord(order, Paid(), record with { Amount = 1m }).Should().ContainSingle().Which.Should().Contain("recorded 1");
        PaymentCheck.AgainstRecord(order, Paid(), record with { Currency = "USD" }).Should().ContainSingle().Which.Should().Contain("currency USD");
        PaymentCheck.AgainstRecord(order, Paid(), record with { CustomerId = "mallory" }).Should().ContainSingle().Which.Should().Contain("customer");
        PaymentCheck.AgainstRecord(order, Paid(), record with { OrderId = "another" }).Should().ContainSingle().Which.Should().Contain("another order");
    }

    [Fact]
    public void A_paid_order_accepts_only_the_payment_id_it_was_paid_with()
    {
        var order = AwaitingOrder();
        order.MarkPaid(PaymentId, Now);

        PaymentCheck.AgainstOrder(order, Paid()).Should().BeEmpty("a redelivery of the event that paid it");
        PaymentCheck.AgainstOrder(order, Paid(paymentId: "ffffffffffffffffffffffffffffffff"))
            .Should().ContainSingle().Which.Should().Contain("paid with");
    }

    [Fact]
    public void A_late_success_for_a_closed_order_whose_payment_was_refunded_still_matches()
    {
        var order = AwaitingOrder();
        order.Expire("hold-expired", Now);

        PaymentCheck.AgainstRecord(order, Paid(), Recorded(order, RecordedPayment.Refunded)).Should().BeEmpty(
            "the capture happened; the closure refunded it; the event is honest and changes nothing");
    }

    [Fact]
    public void A_failure_needs_a_declined_payment_on_record_with_its_payment_id()
    {
        var order = AwaitingOrder();

        PaymentCheck.AgainstRecord(order, PaymentClaim.Failure(PaymentId), Recorded(order, RecordedPayment.Declined)).Should().BeEmpty();
        PaymentCheck.AgainstRecord(order, PaymentClaim.Failure(null), Recorded(order, RecordedPayment.Declined)).Should().BeEmpty("older publishers sent no id");
        PaymentCheck.AgainstRecord(order, PaymentClaim.Failure(PaymentId), null).Should().ContainSingle().Which.Should().Contain("no payment");
        PaymentCheck.AgainstRecord(order, PaymentClaim.Failure(PaymentId), Recorded(order, RecordedPayment.Captured))
            .Should().ContainSingle().Which.Should().Contain("Captured", "a forged failure must not fail a paid order");
        PaymentCheck.AgainstRecord(order, PaymentClaim.Failure("ffffffffffffffffffffffffffffffff"), Recorded(order, RecordedPayment.Declined))
            .Should().ContainSingle().Which.Should().Contain("payment id");
    }
}
