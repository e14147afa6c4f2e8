using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Payment.Infrastructure;

public sealed class SqlServerPaymentDbContext(DbContextOptions<SqlServerPaymentDbContext> options) : PaymentDbContext(options);

public sealed class SqlServerPaymentDbContextFactory : IDesignTimeDbContextFactory<SqlServerPaymentDbContext>
{
    public SqlServerPaymentDbContext CreateDbContext(string[] args) =>
        new(DesignTimeDbContextOptions.SqlServer<SqlServerPaymentDbContext>());
}
