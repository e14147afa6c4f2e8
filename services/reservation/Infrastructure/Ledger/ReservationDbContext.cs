using Microsoft.EntityFrameworkCore;

namespace Reservation.Infrastructure.Ledger;

/// <summary>One row per slot: capacity cached from the catalog, what SQL has booked, the newest fencing token seen.</summary>
public sealed class SlotLedger
{
    public required string SlotId { get; set; }

    public int Capacity { get; set; }

    public int Booked { get; set; }

    public long LastFencingToken { get; set; }
}

/// <summary>
/// A confirmed hold. The hold id is the key, so a repeated confirm can never book twice. A revoked booking (saga
/// compensation) keeps its row, with <see cref="RevokedAt"/> set, so the same hold can never be booked again either.
/// </summary>
public sealed class Booking
{
    public required string HoldId { get; set; }

    public required string SlotId { get; set; }

    public int Quantity { get; set; }

    public DateTimeOffset ConfirmedAt { get; set; }

    public long FencingToken { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>The booking ledger: the final arbiter of what is sold, whatever the hot store says.</summary>
public abstract class ReservationDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SlotLedger> Slots => Set<SlotLedger>();

    public DbSet<Booking> Bookings => Set<Booking>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SlotLedger>(slot =>
        {
            slot.ToTable("SlotLedger");
            slot.HasKey(s => s.SlotId);
            slot.Property(s => s.SlotId).HasMaxLength(64);
            slot.ToTable(table => table.HasCheckConstraint("CK_SlotLedger_BookedWithinCapacity", "Booked >= 0 AND Booked <= Capacity"));
        });
        modelBuilder.Entity<Booking>(booking =>
        {
            booking.ToTable("Booking");
            booking.HasKey(b => b.HoldId);
            booking.Property(b => b.HoldId).HasMaxLength(64);
            booking.Property(b => b.SlotId).HasMaxLength(64);
            booking.HasIndex(b => b.SlotId);
        });
    }
}

public sealed class SqliteReservationDbContext(DbContextOptions<SqliteReservationDbContext> options)
    : ReservationDbContext(options);

public sealed class SqlServerReservationDbContext(DbContextOptions<SqlServerReservationDbContext> options)
    : ReservationDbContext(options);
