using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Payment.Infrastructure;

public sealed class SqlitePaymentDbContext(DbContextOptions<SqlitePaymentDbContext> options) : PaymentDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type: EF stores DateTimeOffset as text it cannot order in SQL. UTC ticks as an
        // integer order correctly, so "latest first" in the admin list runs in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        // Decimal is stored as text, which would make "Amount >= 0" a string comparison; a REAL column keeps it
        // numeric, and every amount the rules accept (PaymentRules.MaxAmount) round-trips through a double exactly.
        configurationBuilder.Properties<decimal>().HaveConversion<double>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

public sealed class SqlitePaymentDbContextFactory : IDesignTimeDbContextFactory<SqlitePaymentDbContext>
{
    public SqlitePaymentDbContext CreateDbContext(string[] args) =>
        new(DesignTimeDbContextOptions.Sqlite<SqlitePaymentDbContext>());
}
