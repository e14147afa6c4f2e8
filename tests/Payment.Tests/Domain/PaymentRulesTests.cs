using DaprReservations.BuildingBlocks.Contracts;
using Payment.Domain;

namespace Payment.Tests.Domain;

public sealed class PaymentRulesTests
{
    private const string OrderId = "0123456789abcdef0123456789abcdef";
    private static readonly PaymentRequest Valid = new(OrderId, "customer-1", 10.25m, "EUR");
    private static readonly PlacedOrder Placed = new(OrderId, "customer-1", 10.25m, "EUR", PlacedOrder.AwaitingPayment);

    /// <summary>Ids no ordering ever issued: quote, emoji, 10 KB, control characters, other formats.</summary>
    public static TheoryData<string> MalformedOrderIds => new()
    {
        "\"", "\"; DROP TABLE Payments; --", "💳💳💳💳💳💳💳💳💳💳💳💳💳💳💳💳", new string('a', 10 * 1024), "0123456789abcdef0123456789abcde\u0000",
        "0123456789abcdef\n0123456789abcde", "order-1", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef0",
        "01234567-89ab-cdef-0123-456789abcdef", " ",
    };

    public static TheoryData<string> MalformedCustomerIds => new()
    {
        "", " ", " customer", "customer ", new string('c', SagaIds.CustomerIdMaxLength + 1), new string('c', 10 * 1024),
        "cus\u0000tomer", "cus\ntomer", "cus\u001btomer", "cus\u200btomer", "cus\u2028tomer",
    };

    [Fact]
    public void A_well_formed_request_and_closure_pass()
    {
        PaymentRules.Validate(Valid).Should().BeEmpty();
        PaymentRules.Validate(Valid with { Amount = 0.01m }).Should().BeEmpty();
        PaymentRules.Validate(Valid with { Amount = PaymentRules.MaxAmount }).Should().BeEmpty();
        PaymentRules.Validate(Valid with { CustomerId = "\"quoted\" 고객 💳" }).Should().BeEmpty("printable characters of any script are a customer id");
        PaymentRules.Validate(Valid with { CustomerId = new string('c', SagaIds.CustomerIdMaxLength) }).Should().BeEmpty();
        PaymentRules.Validate(new OrderClosure(OrderId, "customer-1", 10.25m, "cancelled", null)).Should().BeEmpty();
        PaymentRules.Validate(new OrderClosure(OrderId, "customer-1", 0m, "expired", null)).Should().BeEmpty("a closure of nothing charged voids");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.01)]
    [InlineData(-5)]
    [InlineData(10.001)]
    [InlineData(10_000_000_000_000)]
    public void A_charge_that_is_not_positive_or_beyond_max_or_finer_than_cents_is_refused(double amount)
    {
        PaymentRules.Validate(Valid with { Amount = (decimal)amount }).Keys.Should().Equal("amount");
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

    [Theory]
    [MemberData(nameof(MalformedOrderIds))]
    public void An_order_id_ordering_could_not_have_issued_is_refused_in_requests_and_closures(string orderId)
    {
        PaymentRules.Validate(Valid with { OrderId = orderId }).Keys.Should().Equal("orderId");
        PaymentRules.Validate(new OrderClosure(orderId, "customer-1", 1m, "cancelled", null)).Keys.Should().Equal("orderId");
    }

    [Theory]
    [MemberData(nameof(MalformedCustomerIds))]
    public void A_customer_id_that_is_empty_oversized_or_not_printable_is_refused(string customerId)
    {
        PaymentRules.Validate(Valid with { CustomerId = customerId }).Keys.Should().Equal("customerId");
        PaymentRules.Validate(new OrderClosure(OrderId, customerId, 1m, "cancelled", null)).Keys.Should().Equal("customerId");
    }

    [Fact]
    public void A_customer_id_with_a_lone_surrogate_is_refused()
    {
        // Not theory data: xunit's serialization of test cases would turn the lone surrogate into U+FFFD.
        PaymentRules.Validate(Valid with { CustomerId = "cus" + '\ud800' + "tomer" }).Keys.Should().Equal("customerId");
        PaymentRules.Validate(Valid with { CustomerId = "cus" + '\udc00' }).Keys.Should().Equal("customerId");
        PaymentRules.Validate(Valid with { CustomerId = "cus\ud83d\udcb3" }).Should().BeEmpty("a surrogate pair is one printable character");
    }

    [Fact]
    public void Ids_as_ordering_and_payment_issue_them_pass_the_validator()
    {
        SagaIds.IsOrderId(SagaIds.NewId()).Should().BeTrue();
        SagaIds.IsPaymentId(SagaIds.NewId(DateTimeOffset.UtcNow)).Should().BeTrue();
        PaymentRules.Validate(Valid with { OrderId = SagaIds.NewId() }).Should().BeEmpty();
        PaymentRules.Validate(new OrderClosure(" ", null!, -1m, "cancelled", null)).Keys.Should().BeEquivalentTo(["orderId", "customerId", "amount"]);
    }

    [Fact]
    public void A_request_matching_the_placed_order_has_no_differences()
    {
        PaymentRules.Differences(Valid, Placed).Should().BeEmpty();
    }

    [Fact]
    public void A_request_for_an_order_ordering_does_not_have_differs()
    {
        PaymentRules.Differences(Valid, null).Should().ContainSingle().Which.Should().Contain("no such order");
    }

    [Theory]
    [InlineData("customer", "customer-2", null, null, null)]
    [InlineData("amount", null, 10.26, null, null)]
    [InlineData("currency", null, null, "KRW", null)]
    [InlineData("pending", null, null, null, "pending")]
    [InlineData("confirmed", null, null, null, "confirmed")]
    [InlineData("failed", null, null, null, "failed")]
    public void A_request_differing_from_the_placed_order_in_customer_amount_currency_or_status_is_named(
        string named, string? customer, double? amount, string? currency, string? status)
    {
        var order = Placed with
        {
            CustomerId = customer ?? Placed.CustomerId,
            Amount = amount is { } a ? (decimal)a : Placed.Amount,
            Currency = currency ?? Placed.Currency,
            Status = status ?? Placed.Status,
        };

        PaymentRules.Differences(Valid, order).Should().ContainSingle().Which.Should().Contain(named);
    }
}
