using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using DaprReservations.BuildingBlocks.Persistence;

namespace Catalog.Infrastructure;

public sealed class SqliteCatalogDbContext(DbContextOptions<SqliteCatalogDbContext> options) : CatalogDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type: EF stores DateTimeOffset as text it cannot compare or order in SQL. UTC ticks
        // as an integer compare correctly, so "slots between from and to" and the End > Start check run in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        // The same for decimal (stored as text): a REAL column keeps "Price >= 0" numeric; 2-decimal prices well
        // within double's exact range round-trip unchanged.
        configurationBuilder.Properties<decimal>().HaveConversion<double>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

public sealed class SqliteCatalogDbContextFactory : IDesignTimeDbContextFactory<SqliteCatalogDbContext>
{
    public SqliteCatalogDbContext CreateDbContext(string[] args) =>
        new(DesignTimeDbContextOptions.Sqlite<SqliteCatalogDbContext>());
}
