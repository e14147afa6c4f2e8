using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Reservation.Infrastructure.Ledger;

namespace Reservation.Tests.Ledger;

/// <summary>
/// The SQL ledger on its own (SQLite, migrated): whatever the hot store believes, SQL refuses to overbook, refuses a
/// writer fenced out by a newer token, and books a hold at most once.
/// </summary>
public sealed class BookingLedgerTests : IAsyncLifetime
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteReservationDbContext db = null!;
    private BookingLedger ledger = null!;

    public async Task InitializeAsync()
    {
        db = new SqliteReservationDbContext(new DbContextOptionsBuilder<SqliteReservationDbContext>().UseSqlite($"Data Source={path}").Options);
        await db.Database.MigrateAsync();
        ledger = new BookingLedger(db, clock);
        await ledger.EnsureSlotAsync("s", capacity: 2, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(path);
    }

    [Fact]
    public async Task SQL_refuses_a_booking_beyond_capacity_even_when_the_hot_store_allowed_it()
    {
        (await ledger.ConfirmAsync("s", "h1", 1, 1, default)).Should().Be(LedgerVerdict.Accepted);
        (await ledger.ConfirmAsync("s", "h2", 1, 2, default)).Should().Be(LedgerVerdict.Accepted);

        (await ledger.ConfirmAsync("s", "h3", 1, 3, default)).Should().Be(LedgerVerdict.NoCapacity);

        var slot = await ledger.FindSlotAsync("s", default);
        slot!.Booked.Should().Be(2);
        (await ledger.SumBookedAsync("s", default)).Should().Be(2);
        (await ledger.IsBookedAsync("h3", default)).Should().BeFalse("a refused confirm leaves no booking behind");
    }

    [Fact]
    public async Task A_writer_with_an_older_fencing_token_is_refused()
    {
        await ledger.FenceAsync("s", 10, default);

        (await ledger.ConfirmAsync("s", "h1", 1, 9, default)).Should().Be(LedgerVerdict.StaleToken);
        (await ledger.ConfirmAsync("s", "h1", 1, 11, default)).Should().Be(LedgerVerdict.Accepted);
        (await ledger.FindSlotAsync("s", default))!.LastFencingToken.Should().Be(11);
    }

    [Fact]
    public async Task Confirming_the_same_hold_twice_books_it_once()
    {
        (await ledger.ConfirmAsync("s", "h1", 1, 1, default)).Should().Be(LedgerVerdict.Accepted);

        (await ledger.ConfirmAsync("s", "h1", 1, 2, default)).Should().Be(LedgerVerdict.AlreadyBooked);

        (await ledger.FindSlotAsync("s", default))!.Booked.Should().Be(1);
    }
}
