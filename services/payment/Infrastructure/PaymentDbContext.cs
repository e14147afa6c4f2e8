using DaprReservations.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payment.Domain;

namespace Payment.Infrastructure;

/// <summary>
/// The provider-neutral payment model. Each provider has its own subclass (and so its own migrations set); the service
/// only ever asks for this type.
/// </summary>
public abstract class PaymentDbContext(DbContextOptions options) : DbContext(options)
{
    public const string PaymentAmountCheck = "CK_Payments_Amount";
    public const string TransactionAmountCheck = "CK_PaymentTransactions_Amount";
    public const string OneTransactionPerKind = "IX_PaymentTransactions_OrderId_Kind";

    public DbSet<OrderPayment> Payments => Set<OrderPayment>();

    public DbSet<PaymentTransaction> Transactions => Set<PaymentTransaction>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrderPayment>(Configure);
        modelBuilder.Entity<PaymentTransaction>(Configure);
        modelBuilder.AddOutboxAndInbox();
    }

    private static void Configure(EntityTypeBuilder<OrderPayment> payment)
    {
        payment.ToTable("Payments", table => table.HasCheckConstraint(PaymentAmountCheck, "[Amount] >= 0"));
        // The order id is the key: a second payment for an order cannot be inserted, whoever races.
        payment.HasKey(p => p.OrderId);
        payment.Property(p => p.OrderId).HasMaxLength(PaymentRules.OrderIdMaxLength).ValueGeneratedNever();
        payment.Property(p => p.PaymentId).HasMaxLength(32).IsRequired();
        payment.HasIndex(p => p.PaymentId).IsUnique();
        payment.Property(p => p.CustomerId).HasMaxLength(PaymentRules.CustomerIdMaxLength).IsRequired();
        payment.Property(p => p.Amount).HasPrecision(18, PaymentRules.AmountDecimals);
        payment.Property(p => p.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
        payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        payment.Property(p => p.Reason).HasMaxLength(PaymentRules.ReasonMaxLength);
        payment.Property(p => p.Version).IsConcurrencyToken();
        payment.HasIndex(p => new { p.Status, p.UpdatedAt });
    }

    private static void Configure(EntityTypeBuilder<PaymentTransaction> transaction)
    {
        transaction.ToTable("PaymentTransactions", table => table.HasCheckConstraint(TransactionAmountCheck, "[Amount] >= 0"));
        transaction.HasKey(t => t.Id);
        transaction.Property(t => t.Id).HasMaxLength(32).ValueGeneratedNever();
        transaction.Property(t => t.OrderId).HasMaxLength(PaymentRules.OrderIdMaxLength).IsRequired();
        transaction.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        transaction.Property(t => t.Amount).HasPrecision(18, PaymentRules.AmountDecimals);
        transaction.HasOne<OrderPayment>().WithMany().HasForeignKey(t => t.OrderId).OnDelete(DeleteBehavior.Restrict);
        // At most one capture and one refund per order, by constraint: a double charge or double refund cannot commit
        // even if a bug let two decisions through.
        transaction.HasIndex(t => new { t.OrderId, t.Kind }).IsUnique().HasDatabaseName(OneTransactionPerKind);
    }
}
