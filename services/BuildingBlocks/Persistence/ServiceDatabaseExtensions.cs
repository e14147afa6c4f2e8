using DaprReservations.BuildingBlocks.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Persistence;

/// <summary>
/// The one place a service chooses its EF Core provider. A service declares a provider-neutral context
/// (<c>CatalogDbContext</c>) and one subclass per provider (<c>SqliteCatalogDbContext</c>,
/// <c>SqlServerCatalogDbContext</c>) so each provider keeps its own migrations; the rest of the service only ever
/// asks for the neutral context.
/// </summary>
public static class ServiceDatabaseExtensions
{
    public const string DatabaseCheckName = "database";
    public const string DataFolder = "data";

    public static IHostApplicationBuilder AddServiceDatabase<TContext, TSqlite, TSqlServer>(
        this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var options = ReadOptions(builder.Configuration);
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);

        var connectionString = ResolveConnectionString(
            options.Provider, builder.Configuration.GetConnectionString(connectionName), connectionName,
            builder.Environment.ContentRootPath);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.Services.AddDbContext<TContext, TSqlite>((services, db) =>
                    db.UseSqlite(connectionString).AddInterceptors(services.GetServices<IInterceptor>()));
                break;
            case DatabaseProvider.SqlServer:
                // Azure SQL drops connections during failovers and throttling: transient errors are retried by EF.
                builder.Services.AddDbContext<TContext, TSqlServer>((services, db) =>
                    db.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure())
                        .AddInterceptors(services.GetServices<IInterceptor>()));
                break;
            default:
                throw new InvalidOperationException($"{DatabaseOptions.SectionName}:Provider '{options.Provider}' is not supported.");
        }

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<TContext>(DatabaseCheckName, tags: [HealthCheckExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>The argument the Kubernetes migration Job passes: migrate, then exit without serving.</summary>
    public const string MigrateOnlyArgument = "--migrate-only";

    /// <summary>
    /// Applies pending migrations when <c>Database:MigrateOnStartup</c> is true (the default) or the process was started
    /// with <c>--migrate-only</c>. Returns true in the latter case: the caller should exit instead of serving
    /// (<c>if (await app.MigrateDatabaseAsync&lt;T&gt;()) return;</c>).
    /// </summary>
    public static async Task<bool> MigrateDatabaseAsync<TContext>(this WebApplication app, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        var migrateOnly = Environment.GetCommandLineArgs().Contains(MigrateOnlyArgument, StringComparer.Ordinal);
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!options.MigrateOnStartup && !migrateOnly)
            return false;

        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        await context.Database.MigrateAsync(cancellationToken);
        if (context.Database.IsSqlite())
        {
            // Write-ahead logging lets readers run beside the one writer (the outbox relay, event handlers and API
            // requests all write); the mode is stored in the file, so setting it once here is enough.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        if (migrateOnly)
            app.Logger.LogInformation("{Argument}: migrations applied, exiting", MigrateOnlyArgument);
        return migrateOnly;
    }

    /// <summary>
    /// The configured connection string; for SQLite without one, a file <c>data/&lt;name&gt;.db</c> under the content
    /// root. A relative SQLite path is taken from the content root too (not the working directory, which differs
    /// between <c>dotnet run</c>, tests and containers), and its folder is created.
    /// </summary>
    internal static string ResolveConnectionString(
        DatabaseProvider provider, string? configured, string connectionName, string contentRootPath)
    {
        if (provider == DatabaseProvider.SqlServer)
        {
            return string.IsNullOrWhiteSpace(configured)
                ? throw new InvalidOperationException(
                    $"Database:Provider is SqlServer but ConnectionStrings:{connectionName} is not set.")
                : configured;
        }

        var sqlite = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured)
                ? $"Data Source={Path.Combine(DataFolder, connectionName + ".db")}"
                : configured);
        var isFile = !string.IsNullOrEmpty(sqlite.DataSource)
            && sqlite.DataSource != ":memory:"
            && sqlite.Mode != SqliteOpenMode.Memory;
        if (isFile)
        {
            sqlite.DataSource = Path.GetFullPath(sqlite.DataSource, contentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(sqlite.DataSource)!);
        }
        return sqlite.ToString();
    }

    private static DatabaseOptions ReadOptions(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.SectionName).Bind(options);
        return options;
    }
}
