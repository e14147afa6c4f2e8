using Catalog.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catalog.Infrastructure;

/// <summary>
/// The provider-neutral catalog model. Each provider has its own subclass (and so its own migrations set); the
/// service only ever asks for this type.
/// </summary>
public abstract class CatalogDbContext(DbContextOptions options) : DbContext(options)
{
    public const string CapacityCheck = "CK_Slots_Capacity";
    public const string TimesCheck = "CK_Slots_EndAfterStart";
    public const string PriceCheck = "CK_Slots_Price";

    public DbSet<Resource> Resources => Set<Resource>();

    public DbSet<Slot> Slots => Set<Slot>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Resource>(Configure);
        modelBuilder.Entity<Slot>(Configure);
    }

    private static void Configure(EntityTypeBuilder<Resource> resource)
    {
        resource.ToTable("Resources");
        resource.HasKey(r => r.Id);
        resource.Property(r => r.Id).ValueGeneratedNever();
        resource.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        resource.Property(r => r.Name).HasMaxLength(CatalogRules.NameMaxLength).IsRequired();
        resource.Property(r => r.Description).HasMaxLength(CatalogRules.DescriptionMaxLength);
        // The UPDATE/DELETE carries "WHERE Version = @original": the database, not the app, decides who was first.
        resource.Property(r => r.Version).IsConcurrencyToken();
        resource.HasIndex(r => r.Name);
    }

    private static void Configure(EntityTypeBuilder<Slot> slot)
    {
        slot.ToTable("Slots", table =>
        {
            // The database refuses what the domain refuses, whoever writes (a migration script, a hand fix, a bug).
            table.HasCheckConstraint(CapacityCheck,
                $"[Capacity] >= {CatalogRules.MinCapacity} AND [Capacity] <= {CatalogRules.MaxCapacity}");
            table.HasCheckConstraint(TimesCheck, "[End] > [Start]");
            table.HasCheckConstraint(PriceCheck, "[Price] >= 0");
        });
        slot.HasKey(s => s.Id);
        slot.Property(s => s.Id).ValueGeneratedNever();
        slot.Property(s => s.Price).HasPrecision(18, CatalogRules.PriceDecimals);
        slot.Property(s => s.Version).IsConcurrencyToken();
        slot.HasOne<Resource>().WithMany().HasForeignKey(s => s.ResourceId).OnDelete(DeleteBehavior.Restrict);
        slot.HasIndex(s => new { s.ResourceId, s.Start });
    }
}
