namespace DaprReservations.BuildingBlocks.Persistence;

/// <summary>Which EF Core provider a service runs on, bound from the "Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (embedded, zero-install default) or <c>SqlServer</c> (Azure SQL).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the app starts (EF Core takes a migration lock, so instances may race).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
