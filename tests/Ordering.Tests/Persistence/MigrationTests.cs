using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Tests.Persistence;

public sealed class MigrationTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string directory = Directory.CreateTempSubdirectory("ordering-migrations-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_sql_server_script_is_generated_offline_with_keys_unique_indexes_and_checks()
    {
        using var context = new SqlServerOrderingDbContextFactory().CreateDbContext([]);

        var script = context.GetService<IMigrator>().GenerateScript();

        script.Should().Contain("CREATE TABLE [Orders]").And.Contain("CREATE TABLE [OrderLines]")
            .And.Contain("CREATE TABLE [OutboxMessages]").And.Contain("CREATE TABLE [InboxMessages]");
        script.Should().Contain("CONSTRAINT [PK_OrderLines] PRIMARY KEY ([HoldId])")
            .And.Contain("CONSTRAINT [PK_InboxMessages] PRIMARY KEY ([Consumer], [MessageId])");
        script.Should().Contain("CREATE UNIQUE INDEX [IX_Orders_CustomerId_IdempotencyKey]")
            .And.Contain("CREATE UNIQUE INDEX [IX_OutboxMessages_MessageId]");
        script.Should().Contain("CONSTRAINT [CK_Orders_AmountNotNegative] CHECK (Amount >= 0)")
            .And.Contain("CONSTRAINT [CK_OrderLines_QuantityPositive] CHECK (Quantity > 0)");
    }

    [Fact]
    public void The_model_and_the_migrations_agree_for_both_providers()
    {
        using var sqlite = Sqlite();
        using var sqlServer = new SqlServerOrderingDbContextFactory().CreateDbContext([]);

        sqlite.Database.HasPendingModelChanges().Should().BeFalse("run dotnet-ef migrations add for SqliteOrderingDbContext");
        sqlServer.Database.HasPendingModelChanges().Should().BeFalse("run dotnet-ef migrations add for SqlServerOrderingDbContext");
    }

    [Fact]
    public async Task A_hold_can_belong_to_one_order_only_even_when_two_orders_commit_at_once()
    {
        var path = Path.Combine(directory, "holds.db");
        await using (var setup = Sqlite(path))
            await setup.Database.MigrateAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await using var context = Sqlite(path);
            context.Orders.Add(Order.Place($"customer-{i}", [(new OrderLine("the-hold", "s1", 1, 1m), Now.AddMinutes(5))], "KRW", null, null, Now));
            try
            {
                await context.SaveChangesAsync();
                return true;
            }
            catch (DbUpdateException)
            {
                return false;
            }
        }));

        attempts.Count(committed => committed).Should().Be(1);
        await using var check = Sqlite(path);
        (await check.OrderLines.CountAsync()).Should().Be(1);
        (await check.Orders.CountAsync()).Should().Be(1, "the losing orders rolled back whole");
    }

    [Fact]
    public async Task Two_transitions_from_the_same_version_cannot_both_commit()
    {
        var path = Path.Combine(directory, "versions.db");
        string orderId;
        await using (var setup = Sqlite(path))
        {
            await setup.Database.MigrateAsync();
            var order = Order.Place("alice", [(new OrderLine("h1", "s1", 1, 1m), Now.AddMinutes(5))], "KRW", null, null, Now);
            order.RequestPayment(Now);
            order.MarkPaid("p1", Now);
            setup.Orders.Add(order);
            await setup.SaveChangesAsync();
            orderId = order.Id;
        }

        await using var saga = Sqlite(path);
        await using var customer = Sqlite(path);
        var confirming = await saga.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == orderId);
        var cancelling = await customer.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == orderId);
        confirming.Confirm(Now).Changed.Should().BeTrue();
        cancelling.Cancel("customer", Now).Changed.Should().BeTrue();

        await customer.SaveChangesAsync();
        var late = () => saga.SaveChangesAsync();

        await late.Should().ThrowAsync<DbUpdateConcurrencyException>();
        await using var check = Sqlite(path);
        (await check.Orders.SingleAsync()).Status.Should().Be(OrderStatus.Cancelled);
    }

    private SqliteOrderingDbContext Sqlite(string? path = null) =>
        new(DesignTimeDbContextOptions.Sqlite<SqliteOrderingDbContext>(path ?? Path.Combine(directory, $"{Guid.NewGuid():N}.db")));
}
