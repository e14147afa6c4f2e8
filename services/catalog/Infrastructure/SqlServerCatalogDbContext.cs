using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using DaprReservations.BuildingBlocks.Persistence;

namespace Catalog.Infrastructure;

public sealed class SqlServerCatalogDbContext(DbContextOptions<SqlServerCatalogDbContext> options) : CatalogDbContext(options);

public sealed class SqlServerCatalogDbContextFactory : IDesignTimeDbContextFactory<SqlServerCatalogDbContext>
{
    public SqlServerCatalogDbContext CreateDbContext(string[] args) =>
        new(DesignTimeDbContextOptions.SqlServer<SqlServerCatalogDbContext>());
}
