using Microsoft.EntityFrameworkCore;

namespace DaprReservations.BuildingBlocks.Persistence;

/// <summary>
/// Options for a service's <c>IDesignTimeDbContextFactory</c>: <c>dotnet ef migrations add</c> and
/// <c>migrations script</c> need a provider but never open a connection, so no app or server has to run.
/// </summary>
public static class DesignTimeDbContextOptions
{
    public static DbContextOptions<TContext> Sqlite<TContext>(string dataSource = "design-time.db")
        where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseSqlite($"Data Source={dataSource}").Options;

    public static DbContextOptions<TContext> SqlServer<TContext>()
        where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>()
            .UseSqlServer("Server=design-time;Database=design-time;Integrated Security=true;TrustServerCertificate=true")
            .Options;
}
