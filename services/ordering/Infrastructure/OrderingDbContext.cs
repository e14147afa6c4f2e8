using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Ordering.Domain;

namespace Ordering.Infrastructure;

/// <summary>Orders, their lines, and the outbox/inbox tables that make the saga's messaging exactly-once in effect.</summary>
public abstract class OrderingDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("Orders", table =>
            {
                table.HasCheckConstraint("CK_Orders_AmountNotNegative", "Amount >= 0");
                table.HasCheckConstraint("CK_Orders_Status",
                    "Status IN ('Pending','AwaitingPayment','Paid','Confirmed','Cancelled','Expired','Failed')");
            });
            order.HasKey(o => o.Id);
            order.Property(o => o.Id).HasMaxLength(32);
            order.Property(o => o.CustomerId).HasMaxLength(128).IsRequired();
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            order.Property(o => o.Amount).HasPrecision(18, 2);
            order.Property(o => o.Currency).HasMaxLength(3);
            order.Property(o => o.Reason).HasMaxLength(200);
            order.Property(o => o.PaymentId).HasMaxLength(64);
            order.Property(o => o.IdempotencyKey).HasMaxLength(128);
            order.Property(o => o.RequestHash).HasMaxLength(64);
            order.Property(o => o.Version).IsConcurrencyToken();
            // Times as UTC ticks: SQLite cannot compare or sort DateTimeOffset, and the sweeper filters on them.
            order.Property(o => o.CreatedAt).HasConversion(new DateTimeOffsetTicksConverter());
            order.Property(o => o.UpdatedAt).HasConversion(new DateTimeOffsetTicksConverter());
            order.Property(o => o.ExpiresAt).HasConversion(new DateTimeOffsetTicksConverter());
            // A retried create finds its order; two racing creates with one key: the second insert fails here.
            order.HasIndex(o => new { o.CustomerId, o.IdempotencyKey }).IsUnique().HasFilter("IdempotencyKey IS NOT NULL");
            order.HasIndex(o => new { o.CustomerId, o.CreatedAt });
            order.HasIndex(o => new { o.Status, o.UpdatedAt });
            order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
            order.Navigation(o => o.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        modelBuilder.Entity<OrderLine>(line =>
        {
            line.ToTable("OrderLines", table =>
            {
                table.HasCheckConstraint("CK_OrderLines_QuantityPositive", "Quantity > 0");
                table.HasCheckConstraint("CK_OrderLines_UnitPriceNotNegative", "UnitPrice >= 0");
            });
            // A hold belongs to at most one order, ever: two orders racing for one hold cannot both commit.
            line.HasKey(l => l.HoldId);
            line.Property(l => l.HoldId).HasMaxLength(64);
            line.Property(l => l.OrderId).HasMaxLength(32);
            line.Property(l => l.SlotId).HasMaxLength(64);
            line.Property(l => l.UnitPrice).HasPrecision(18, 2);
            line.HasIndex(l => l.OrderId);
        });

        modelBuilder.AddOutboxAndInbox();
    }
}

internal sealed class DateTimeOffsetTicksConverter()
    : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

public sealed class SqliteOrderingDbContext(DbContextOptions<SqliteOrderingDbContext> options) : OrderingDbContext(options);

public sealed class SqlServerOrderingDbContext(DbContextOptions<SqlServerOrderingDbContext> options) : OrderingDbContext(options);

public sealed class SqliteOrderingDbContextFactory : IDesignTimeDbContextFactory<SqliteOrderingDbContext>
{
    public SqliteOrderingDbContext CreateDbContext(string[] args) => new(DesignTimeDbContextOptions.Sqlite<SqliteOrderingDbContext>());
}

public sealed class SqlServerOrderingDbContextFactory : IDesignTimeDbContextFactory<SqlServerOrderingDbContext>
{
    public SqlServerOrderingDbContext CreateDbContext(string[] args) => new(DesignTimeDbContextOptions.SqlServer<SqlServerOrderingDbContext>());
}
