using Payment.Domain;

namespace Payment.Tests.Domain;

public sealed class PaymentRulesTests
{
    private static readonly PaymentRequest Valid = new("order-1", "customer-1", 10.25m, "EUR");

    [Fact]
    public void A_well_formed_request_and_closure_pass()
    {
        PaymentRules.Validate(Valid).Should().BeEmpty();
        PaymentRules.Validate(Valid with { Amount = 0m }).Should().BeEmpty("a free order still goes through the saga");
        PaymentRules.Validate(Valid with { Amount = PaymentRules.MaxAmount }).Should().BeEmpty();
        PaymentRules.Validate(new OrderClosure("order-1", "customer-1", 10.25m, "cancelled", null)).Should().BeEmpty();
    }

    [Theory]
    [InlineData(-0.01, "amount")]
    [InlineData(10.001, "amount")]
    [InlineData(10_000_000_000_000, "amount")]
    public void Amounts_outside_zero_to_max_or_finer_than_cents_are_refused(double amount, string field)
    {
        PaymentRules.Validate(Valid with { Amount = (decimal)amount }).Keys.Should().Equal(field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    public void The_currency_must_be_three_capital_letters(string? currency)
    {
        PaymentRules.Validate(Valid with { Currency = currency! }).Keys.Should().Equal("currency");
    }

    [Fact]
    public void Missing_or_oversized_ids_are_refused_in_requests_and_closures()
    {
        PaymentRules.Validate(Valid with { OrderId = " ", CustomerId = null! }).Keys.Should().BeEquivalentTo(["orderId", "customerId"]);
        PaymentRules.Validate(Valid with { OrderId = new string('o', PaymentRules.OrderIdMaxLength + 1) }).Keys.Should().Equal("orderId");
        PaymentRules.Validate(new OrderClosure("", "c", -1m, "cancelled", null)).Keys.Should().BeEquivalentTo(["orderId", "amount"]);
    }
}
