using System.Net.Http.Json;
using System.Text.Json;
using BuildingBlocks.Tests.Infrastructure;
using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using DaprReservations.BuildingBlocks.Health;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BuildingBlocks.Tests;

public sealed class ServiceDatabaseTests : IDisposable
{
    private readonly string contentRoot = Directory.CreateTempSubdirectory("persistence-tests-").FullName;

    public void Dispose() => Directory.Delete(contentRoot, recursive: true);

    [Fact]
    public async Task Without_configuration_the_service_gets_its_sqlite_subclass_in_a_file_under_data_and_migrates_it()
    {
        await using var app = Build(new Dictionary<string, string?>());

        await app.MigrateDatabaseAsync<SampleDbContext>();

        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
        context.Should().BeOfType<SqliteSampleDbContext>();
        var expectedFile = Path.Combine(contentRoot, "data", "sample.db");
        context.Database.GetConnectionString().Should().Contain(expectedFile);
        File.Exists(expectedFile).Should().BeTrue("MigrateDatabaseAsync creates the database");
    }

    [Fact]
    public async Task A_relative_sqlite_path_is_taken_from_the_content_root_and_its_folder_created()
    {
        await using var app = Build(new Dictionary<string, string?> { ["ConnectionStrings:sample"] = "Data Source=db/nested/s.db" });

        await app.MigrateDatabaseAsync<SampleDbContext>();

        File.Exists(Path.Combine(contentRoot, "db", "nested", "s.db")).Should().BeTrue();
    }

    [Fact]
    public async Task Migrate_on_startup_false_leaves_the_database_alone()
    {
        await using var app = Build(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });

        await app.MigrateDatabaseAsync<SampleDbContext>();

        File.Exists(Path.Combine(contentRoot, "data", "sample.db")).Should().BeFalse();
    }

    [Fact]
    public async Task SqlServer_provider_gets_its_subclass_with_retry_on_failure()
    {
        await using var app = Build(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:sample"] = "Server=nowhere;Database=sample;TrustServerCertificate=true",
        });

        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<SampleDbContext>();

        context.Should().BeOfType<SqlServerSampleDbContext>();
        context.Database.CreateExecutionStrategy().Should().BeOfType<SqlServerRetryingExecutionStrategy>();
    }

    [Fact]
    public void SqlServer_provider_without_a_connection_string_fails_at_start_up_naming_the_key()
    {
        var build = () => Build(new Dictionary<string, string?> { ["Database:Provider"] = "SqlServer" });

        build.Should().Throw<InvalidOperationException>().WithMessage("*ConnectionStrings:sample*");
    }

    [Fact]
    public async Task Readiness_includes_the_database_check()
    {
        await using var app = Build(new Dictionary<string, string?>());
        app.MapDefaultHealthChecks();
        await app.MigrateDatabaseAsync<SampleDbContext>();
        await app.StartAsync();

        // No sidecar listens here, so the overall answer is 503; the database entry is what this test is about.
        using var response = await app.GetTestClient().GetAsync("/readyz");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        var database = report.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == ServiceDatabaseExtensions.DatabaseCheckName);
        database.GetProperty("status").GetString().Should().Be("Healthy");
    }

    private WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = SampleApp.CreateBuilder(settings);
        builder.Environment.ContentRootPath = contentRoot;
        builder.AddServiceDatabase<SampleDbContext, SqliteSampleDbContext, SqlServerSampleDbContext>("sample");
        return builder.Build();
    }
}

public abstract class SampleDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SampleRow> Rows => Set<SampleRow>();
}

public sealed class SqliteSampleDbContext(DbContextOptions<SqliteSampleDbContext> options) : SampleDbContext(options);

public sealed class SqlServerSampleDbContext(DbContextOptions<SqlServerSampleDbContext> options) : SampleDbContext(options);

public sealed class SampleRow
{
    public int Id { get; set; }
}
