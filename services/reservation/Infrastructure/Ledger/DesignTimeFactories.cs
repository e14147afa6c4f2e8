using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Design;

namespace Reservation.Infrastructure.Ledger;

public sealed class SqliteReservationDbContextFactory : IDesignTimeDbContextFactory<SqliteReservationDbContext>
{
    public SqliteReservationDbContext CreateDbContext(string[] args) =>
        new(DesignTimeDbContextOptions.Sqlite<SqliteReservationDbContext>());
}

public sealed class SqlServerReservationDbContextFactory : IDesignTimeDbContextFactory<SqlServerReservationDbContext>
{
    public SqlServerReservationDbContext CreateDbContext(string[] args) =>
        new(DesignTimeDbContextOptions.SqlServer<SqlServerReservationDbContext>());
}
