using System.Net;
using System.Net.Http.Json;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ordering.Application;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Tests.Application;

/// <summary>
/// <see cref="OrderSaga.DriveAsync"/> confirming a paid order's holds several at once, against a scripted reservation
/// service (an HTTP handler answering per hold) and a real SQLite file: bounded parallelism, and compensation decided
/// exactly as when holds were confirmed one by one.
/// </summary>
public sealed class ConcurrentConfirmationTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string directory = Directory.CreateTempSubdirectory("ordering-confirm-").FullName;
    private readonly List<IDisposable> owned = [];

    public void Dispose()
    {
        owned.ForEach(d => d.Dispose());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Holds_are_confirmed_at_once_up_to_the_bound_and_the_order_ends_confirmed_with_one_event()
    {
        var reservation = new ScriptedReservation(delay: TimeSpan.FromMilliseconds(150));
        var (db, orderId) = await PaidOrderAsync(holds: 8);

        await Saga(db, reservation, parallelism: 3).DriveAsync(orderId, CancellationToken.None);

        reservation.Confirmed.Should().HaveCount(8).And.OnlyHaveUniqueItems();
        reservation.MaxInFlight.Should().Be(3, "three confirmations at a time: concurrent, and bounded");
        (await StatusAsync(db, orderId)).Should().Be(OrderStatus.Confirmed);
        (await TopicsAsync(db, orderId)).Should().Equal("order.confirmed");
    }

    [Fact]
    public async Task One_refused_hold_among_several_cancels_the_order_with_its_reason_and_stops_the_confirmations_not_yet_sent()
    {
        var reservation = new ScriptedReservation(delay: TimeSpan.FromMilliseconds(100)) { Refuse = { ["hold-1"] = "released" } };
        var (db, orderId) = await PaidOrderAsync(holds: 10);

        await Saga(db, reservation, parallelism: 2).DriveAsync(orderId, CancellationToken.None);

        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
        order.Status.Should().Be(OrderStatus.Cancelled);
        order.Reason.Should().Be("hold-released");
        // The closing event lists every line: reservation revokes whatever got booked before the refusal arrived.
        (await TopicsAsync(db, orderId)).Should().Equal("order.cancelled");
        reservation.Asked.Should().HaveCountLessThan(10, "after the refusal the remaining holds are not confirmed");
    }

    [Fact]
    public async Task An_expired_hold_wins_over_another_holds_transient_failure_and_the_order_ends_expired()
    {
        var reservation = new ScriptedReservation { Refuse = { ["hold-2"] = "expired" }, Fail = { "hold-0" } };
        var (db, orderId) = await PaidOrderAsync(holds: 4);

        await Saga(db, reservation, parallelism: 4).DriveAsync(orderId, CancellationToken.None);

        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
        (order.Status, order.Reason).Should().Be((OrderStatus.Expired, "hold-expired"));
        (await TopicsAsync(db, orderId)).Should().Equal("order.expired");
    }

    [Fact]
    public async Task A_transient_failure_throws_and_leaves_the_order_paid_then_a_redrive_confirms_once()
    {
        var reservation = new ScriptedReservation { Fail = { "hold-3" } };
        var (db, orderId) = await PaidOrderAsync(holds: 5);

        var drive = () => Saga(db, reservation, parallelism: 8).DriveAsync(orderId, CancellationToken.None);
        await drive.Should().ThrowAsync<HttpRequestException>("the event must be redelivered");
        (await StatusAsync(db, orderId)).Should().Be(OrderStatus.Paid);
        (await TopicsAsync(db, orderId)).Should().BeEmpty();

        reservation.Fail.Clear();
        await drive();
        await drive(); // a redelivery after the order was confirmed: nothing more happens

        (await StatusAsync(db, orderId)).Should().Be(OrderStatus.Confirmed);
        (await TopicsAsync(db, orderId)).Should().Equal("order.confirmed");
        reservation.Confirmed.Distinct().Should().HaveCount(5);
        reservation.Asked.Count.Should().Be(5 + 5, "the first drive asked for every hold, the redrive again (idempotent), the third none");
    }

    private OrderSaga Saga(SqliteOrderingDbContext db, ScriptedReservation reservation, int parallelism)
    {
        var options = Options.Create(new OrderingOptions { ConfirmParallelism = parallelism });
        var http = new HttpClient(reservation) { BaseAddress = new Uri("http://reservation/") };
        owned.Add(http);
        return new OrderSaga(db, new OrderStore(db, TimeProvider.System, options), new ReservationClient(http),
            new PaymentRecords(new HttpClient()), TimeProvider.System, options, NullLogger<OrderSaga>.Instance);
    }

    private async Task<(SqliteOrderingDbContext Db, string OrderId)> PaidOrderAsync(int holds)
    {
        var db = new SqliteOrderingDbContext(DesignTimeDbContextOptions.Sqlite<SqliteOrderingDbContext>(Path.Combine(directory, $"{Guid.NewGuid():N}.db")));
        owned.Add(db);
        await db.Database.MigrateAsync();
        var lines = Enumerable.Range(0, holds).Select(i => (new OrderLine($"hold-{i}", $"slot-{i}", 1, 1_000m), Now.AddMinutes(10))).ToList();
        var order = Order.Place("alice", lines, "KRW", null, null, Now);
        order.RequestPayment(Now);
        order.MarkPaid("pay-1", Now);
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return (db, order.Id);
    }

    private static Task<OrderStatus> StatusAsync(OrderingDbContext db, string orderId) =>
        db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync();

    private static Task<List<string>> TopicsAsync(OrderingDbContext db, string orderId) =>
        db.Set<OutboxMessage>().AsNoTracking().Where(m => m.PartitionKey == orderId).OrderBy(m => m.Id).Select(m => m.Topic).ToListAsync();

    /// <summary>POST holds/{id}/confirm: 200, 409 with a reason, or 500 per hold; counts what was asked and how much at once.</summary>
    private sealed class ScriptedReservation(TimeSpan delay = default) : HttpMessageHandler
    {
        private int inFlight;

        public Dictionary<string, string> Refuse { get; } = [];
        public HashSet<string> Fail { get; } = [];
        public List<string> Asked { get; } = [];
        public List<string> Confirmed { get; } = [];
        public int MaxInFlight { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var holdId = request.RequestUri!.Segments[^2].TrimEnd('/');
            var now = Interlocked.Increment(ref inFlight);
            lock (Asked)
            {
                Asked.Add(holdId);
                MaxInFlight = Math.Max(MaxInFlight, now);
            }

            try
            {
                await Task.Delay(delay, ct);
                if (Refuse.TryGetValue(holdId, out var reason))
                    return new HttpResponseMessage(HttpStatusCode.Conflict) { Content = JsonContent.Create(new { reason }) };
                if (Fail.Contains(holdId))
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("boom") };
                lock (Asked)
                    Confirmed.Add(holdId);
                return new HttpResponseMessage(HttpStatusCode.OK);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}
