using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Catalog.Tests.Persistence;

public sealed class MigrationTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("catalog-migrations-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_sql_server_script_is_generated_offline_with_tables_keys_and_check_constraints()
    {
        using var context = new SqlServerCatalogDbContextFactory().CreateDbContext([]);

        var script = context.GetService<IMigrator>().GenerateScript();

        script.Should().Contain("CREATE TABLE [Resources]").And.Contain("CREATE TABLE [Slots]");
        script.Should().Contain("CONSTRAINT [PK_Resources] PRIMARY KEY ([Id])")
            .And.Contain("CONSTRAINT [PK_Slots] PRIMARY KEY ([Id])")
            .And.Contain("CONSTRAINT [FK_Slots_Resources_ResourceId] FOREIGN KEY ([ResourceId]) REFERENCES [Resources] ([Id])");
        script.Should().Contain($"CONSTRAINT [{CatalogDbContext.CapacityCheck}] CHECK ([Capacity] >= 1 AND [Capacity] <= 100000)")
            .And.Contain($"CONSTRAINT [{CatalogDbContext.TimesCheck}] CHECK ([End] > [Start])")
            .And.Contain($"CONSTRAINT [{CatalogDbContext.PriceCheck}] CHECK ([Price] >= 0)");
        script.Should().Contain("[Start] datetimeoffset NOT NULL").And.Contain("[Price] decimal(18,2) NOT NULL")
            .And.Contain("[Version] bigint NOT NULL");
    }

    [Fact]
    public async Task The_sqlite_migrations_apply_to_an_empty_database_and_leave_nothing_pending()
    {
        await using var context = Sqlite();

        await context.Database.MigrateAsync();

        (await context.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await context.Database.GetAppliedMigrationsAsync()).Should().Equal(context.Database.GetMigrations());
    }

    [Fact]
    public void The_model_and_the_migrations_agree_for_both_providers()
    {
        using var sqlite = Sqlite();
        using var sqlServer = new SqlServerCatalogDbContextFactory().CreateDbContext([]);

        sqlite.Database.HasPendingModelChanges().Should().BeFalse("run dotnet-ef migrations add for SqliteCatalogDbContext");
        sqlServer.Database.HasPendingModelChanges().Should().BeFalse("run dotnet-ef migrations add for SqlServerCatalogDbContext");
    }

    [Fact]
    public async Task Sqlite_enforces_the_capacity_and_time_check_constraints()
    {
        await using var context = Sqlite();
        await context.Database.MigrateAsync();
        var resourceId = Guid.NewGuid();
        await context.Database.ExecuteSqlAsync(
            $"INSERT INTO Resources (Id, Kind, Name, Version) VALUES ({resourceId}, 'Room', 'Hall', 1)");

        var zeroCapacity = () => InsertSlotAsync(context, resourceId, capacity: 0, startTicks: 10, endTicks: 20);
        var endBeforeStart = () => InsertSlotAsync(context, resourceId, capacity: 5, startTicks: 20, endTicks: 10);

        (await zeroCapacity.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain(CatalogDbContext.CapacityCheck);
        (await endBeforeStart.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain(CatalogDbContext.TimesCheck);
        await InsertSlotAsync(context, resourceId, capacity: 5, startTicks: 10, endTicks: 20);
    }

    [Fact]
    public async Task A_second_writer_holding_the_same_version_loses_in_sql()
    {
        var path = Path.Combine(directory, "race.db");
        await using (var setup = Sqlite(path))
            await setup.Database.MigrateAsync();
        var ids = await SeedSlotAsync(path);

        await using var first = Sqlite(path);
        await using var second = Sqlite(path);
        var mine = await first.Slots.SingleAsync(s => s.Id == ids.SlotId);
        var theirs = await second.Slots.SingleAsync(s => s.Id == ids.SlotId);
        var now = DateTimeOffset.UtcNow;
        mine.Update(new(mine.Start, mine.End, 7, 1m), now).IsEmpty.Should().BeTrue();
        theirs.Update(new(theirs.Start, theirs.End, 9, 1m), now).IsEmpty.Should().BeTrue();

        await first.SaveChangesAsync();
        var late = () => second.SaveChangesAsync();

        await late.Should().ThrowAsync<DbUpdateConcurrencyException>();
        await using var check = Sqlite(path);
        var stored = await check.Slots.AsNoTracking().SingleAsync(s => s.Id == ids.SlotId);
        stored.Capacity.Should().Be(7);
        stored.Version.Should().Be(2);
    }

    private SqliteCatalogDbContext Sqlite(string? path = null) =>
        new(DesignTimeDbContextOptions.Sqlite<SqliteCatalogDbContext>(path ?? Path.Combine(directory, $"{Guid.NewGuid():N}.db")));

    private async Task<(Guid ResourceId, Guid SlotId)> SeedSlotAsync(string path)
    {
        await using var context = Sqlite(path);
        var resource = Catalog.Domain.Resource.Create(Guid.NewGuid(), new("room", "Hall", null)).Value!;
        var start = DateTimeOffset.UtcNow.AddDays(1);
        var slot = Catalog.Domain.Slot.Create(Guid.NewGuid(), resource.Id, new(start, start.AddHours(1), 5, 1m), DateTimeOffset.UtcNow).Value!;
        context.AddRange(resource, slot);
        await context.SaveChangesAsync();
        return (resource.Id, slot.Id);
    }

    private static Task InsertSlotAsync(CatalogDbContext context, Guid resourceId, int capacity, long startTicks, long endTicks) =>
        context.Database.ExecuteSqlAsync(
            $"INSERT INTO Slots (Id, ResourceId, Start, [End], Capacity, Price, Version) VALUES ({Guid.NewGuid()}, {resourceId}, {startTicks}, {endTicks}, {capacity}, 1.0, 1)");
}
