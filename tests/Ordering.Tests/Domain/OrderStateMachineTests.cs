using Ordering.Domain;

namespace Ordering.Tests.Domain;

public sealed class OrderStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static Order NewOrder(TimeSpan? holdLeft = null) => Order.Place(
        "alice",
        [
            (new OrderLine("h1", "s1", 2, 10_000m), Now + (holdLeft ?? TimeSpan.FromMinutes(10))),
            (new OrderLine("h2", "s2", 1, 5_000m), Now + TimeSpan.FromMinutes(20)),
        ],
        "KRW", "key-1", "hash", Now);

    [Fact]
    public void A_new_order_is_pending_priced_from_its_lines_and_expires_with_its_first_hold()
    {
        var order = NewOrder(holdLeft: TimeSpan.FromMinutes(3));

        order.Status.Should().Be(OrderStatus.Pending);
        order.Amount.Should().Be(25_000m);
        order.ExpiresAt.Should().Be(Now + TimeSpan.FromMinutes(3));
        order.Version.Should().Be(1);
    }

    [Fact]
    public void The_happy_path_requests_payment_once_then_is_paid_then_confirmed()
    {
        var order = NewOrder();

        order.RequestPayment(Now).Should().Be(new Transition(true, OrderEvent.PaymentRequested, null));
        order.RequestPayment(Now).Should().Be(Transition.Unchanged, "paying twice is one payment");
        order.MarkPaid("p1", Now).Changed.Should().BeTrue();
        order.MarkPaid("p1", Now).Should().Be(Transition.Unchanged, "a redelivered payment.succeeded changes nothing");
        order.Confirm(Now).Should().Be(new Transition(true, OrderEvent.Confirmed, null));

        order.Status.Should().Be(OrderStatus.Confirmed);
        order.PaymentId.Should().Be("p1");
        order.Version.Should().Be(4, "three transitions, each bumping the concurrency token once");
    }

    [Fact]
    public void Paying_after_the_first_hold_ran_out_expires_the_order_instead()
    {
        var order = NewOrder(holdLeft: TimeSpan.FromSeconds(30));

        var paid = order.RequestPayment(Now + TimeSpan.FromSeconds(30));

        paid.Event.Should().Be(OrderEvent.Expired);
        order.Status.Should().Be(OrderStatus.Expired);
        order.Reason.Should().Be("hold-expired");
    }

    [Fact]
    public void A_declined_payment_fails_the_order_and_a_late_success_is_ignored()
    {
        var order = NewOrder();
        order.RequestPayment(Now);

        order.MarkPaymentFailed("payment-declined", Now).Event.Should().Be(OrderEvent.Failed);
        order.MarkPaid("p1", Now).Should().Be(Transition.Unchanged);

        order.Status.Should().Be(OrderStatus.Failed);
        order.PaymentId.Should().BeNull();
    }

    [Theory]
    [InlineData("expired", OrderStatus.Expired, "hold-expired")]
    [InlineData("released", OrderStatus.Cancelled, "hold-released")]
    [InlineData("no-capacity", OrderStatus.Cancelled, "hold-no-capacity")]
    public void A_refused_booking_of_a_paid_order_ends_it_with_the_refusal(string refusal, OrderStatus status, string reason)
    {
        var order = NewOrder();
        order.RequestPayment(Now);
        order.MarkPaid("p1", Now);

        var aborted = order.AbortBooking(refusal, Now);

        aborted.Changed.Should().BeTrue();
        order.Status.Should().Be(status);
        order.Reason.Should().Be(reason);
        order.MayHaveBeenPaid.Should().BeTrue("payment must refund");
    }

    [Fact]
    public void Cancel_is_allowed_until_the_order_ended_otherwise_and_is_idempotent()
    {
        var confirmed = NewOrder();
        confirmed.RequestPayment(Now);
        confirmed.MarkPaid("p1", Now);
        confirmed.Confirm(Now);

        confirmed.Cancel("customer", Now).Event.Should().Be(OrderEvent.Cancelled, "a confirmed order can still be cancelled: refund + revoke");
        confirmed.Cancel("customer", Now).Should().Be(Transition.Unchanged);

        var failed = NewOrder();
        failed.RequestPayment(Now);
        failed.MarkPaymentFailed("declined", Now);
        failed.Cancel("customer", Now).IsIllegal.Should().BeTrue();
        failed.Status.Should().Be(OrderStatus.Failed);
    }

    [Fact]
    public void Illegal_transitions_change_nothing()
    {
        var cancelled = NewOrder();
        cancelled.Cancel("customer", Now);
        var version = cancelled.Version;

        cancelled.RequestPayment(Now).IsIllegal.Should().BeTrue();
        cancelled.Confirm(Now).IsIllegal.Should().BeTrue();
        cancelled.Expire("hold-expired", Now).Should().Be(Transition.Unchanged);
        cancelled.AbortBooking("expired", Now).Should().Be(Transition.Unchanged);

        cancelled.Status.Should().Be(OrderStatus.Cancelled);
        cancelled.Version.Should().Be(version);
    }

    [Fact]
    public void Every_status_has_a_way_to_a_terminal_status()
    {
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            var order = Drive(status);
            order.Status.Should().Be(status);
            if (status.IsTerminal())
                continue;
            var next = status == OrderStatus.Confirmed ? order.Cancel("customer", Now) : order.Expire("hold-expired", Now);
            next.Changed.Should().BeTrue($"{status} must be able to end");
            order.Status.IsTerminal().Should().BeTrue();
        }
    }

    private static Order Drive(OrderStatus target)
    {
        var order = NewOrder();
        switch (target)
        {
            case OrderStatus.Pending:
                break;
            case OrderStatus.AwaitingPayment:
                order.RequestPayment(Now);
                break;
            case OrderStatus.Paid:
                order.RequestPayment(Now);
                order.MarkPaid("p", Now);
                break;
            case OrderStatus.Confirmed:
                order.RequestPayment(Now);
                order.MarkPaid("p", Now);
                order.Confirm(Now);
                break;
            case OrderStatus.Cancelled:
                order.Cancel("customer", Now);
                break;
            case OrderStatus.Expired:
                order.Expire("hold-expired", Now);
                break;
            case OrderStatus.Failed:
                order.RequestPayment(Now);
                order.MarkPaymentFailed("declined", Now);
                break;
        }

        return order;
    }
}
