using DaprReservations.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Payment.Infrastructure;

namespace Payment.Tests.Persistence;

public sealed class MigrationTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("payment-migrations-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_sql_server_script_is_generated_offline_with_keys_unique_kinds_and_check_constraints()
    {
        using var context = new SqlServerPaymentDbContextFactory().CreateDbContext([]);

        var script = context.GetService<IMigrator>().GenerateScript();

        script.Should().Contain("CREATE TABLE [Payments]").And.Contain("CREATE TABLE [PaymentTransactions]")
            .And.Contain("CREATE TABLE [OutboxMessages]").And.Contain("CREATE TABLE [InboxMessages]");
        script.Should().Contain("CONSTRAINT [PK_Payments] PRIMARY KEY ([OrderId])")
            .And.Contain("CONSTRAINT [FK_PaymentTransactions_Payments_OrderId] FOREIGN KEY ([OrderId]) REFERENCES [Payments] ([OrderId])")
            .And.Contain("CONSTRAINT [PK_InboxMessages] PRIMARY KEY ([Consumer], [MessageId])");
        script.Should().Contain($"CREATE UNIQUE INDEX [{PaymentDbContext.OneTransactionPerKind}] ON [PaymentTransactions] ([OrderId], [Kind])");
        script.Should().Contain($"CONSTRAINT [{PaymentDbContext.PaymentAmountCheck}] CHECK ([Amount] >= 0)")
            .And.Contain($"CONSTRAINT [{PaymentDbContext.TransactionAmountCheck}] CHECK ([Amount] >= 0)");
        script.Should().Contain("[Amount] decimal(18,2) NOT NULL").And.Contain("[Version] bigint NOT NULL")
            .And.Contain("[CreatedAt] datetimeoffset NOT NULL");
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
        using var sqlServer = new SqlServerPaymentDbContextFactory().CreateDbContext([]);

        sqlite.Database.HasPendingModelChanges().Should().BeFalse("run dotnet-ef migrations add for SqlitePaymentDbContext");
        sqlServer.Database.HasPendingModelChanges().Should().BeFalse("run dotnet-ef migrations add for SqlServerPaymentDbContext");
    }

    [Fact]
    public async Task Sqlite_refuses_a_second_capture_a_second_refund_and_a_negative_amount()
    {
        await using var context = Sqlite();
        await context.Database.MigrateAsync();
        await InsertPaymentAsync(context, "order-1", amount: 10);
        await InsertTransactionAsync(context, "order-1", "Capture", 10);
        await InsertTransactionAsync(context, "order-1", "Refund", 10);

        var secondCapture = () => InsertTransactionAsync(context, "order-1", "Capture", 10);
        var secondRefund = () => InsertTransactionAsync(context, "order-1", "Refund", 10);
        var secondPayment = () => InsertPaymentAsync(context, "order-1", amount: 10);
        var negative = () => InsertPaymentAsync(context, "order-2", amount: -1);

        (await secondCapture.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("UNIQUE constraint failed: PaymentTransactions.OrderId, PaymentTransactions.Kind");
        (await secondRefund.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("UNIQUE constraint failed: PaymentTransactions.OrderId, PaymentTransactions.Kind");
        (await secondPayment.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("UNIQUE constraint failed: Payments.OrderId");
        (await negative.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain(PaymentDbContext.PaymentAmountCheck);
        (await context.Transactions.CountAsync()).Should().Be(2);
    }

    [Fact]
    public async Task A_second_writer_holding_the_same_version_loses_in_sql()
    {
        var path = Path.Combine(directory, "race.db");
        await using (var setup = Sqlite(path))
        {
            await setup.Database.MigrateAsync();
            var captured = (Payment.Domain.RequestOutcome.Captured)Payment.Domain.PaymentDecisions.Request(null,
                new("order-1", "customer-1", 10m, "EUR"), Payment.Domain.GatewayDecision.Approve(), DateTimeOffset.UtcNow);
            setup.AddRange(captured.Payment, captured.Capture);
            await setup.SaveChangesAsync();
        }

        await using var first = Sqlite(path);
        await using var second = Sqlite(path);
        var mine = await first.Payments.SingleAsync();
        var theirs = await second.Payments.SingleAsync();
        Payment.Domain.PaymentDecisions.Refund(mine, "first", DateTimeOffset.UtcNow);
        Payment.Domain.PaymentDecisions.Refund(theirs, "second", DateTimeOffset.UtcNow);

        await first.SaveChangesAsync();
        var late = () => second.SaveChangesAsync();

        await late.Should().ThrowAsync<DbUpdateConcurrencyException>();
        await using var check = Sqlite(path);
        var stored = await check.Payments.AsNoTracking().SingleAsync();
        stored.Reason.Should().Be("first");
        stored.Version.Should().Be(2);
        stored.Amount.Should().Be(10m);
    }

    private SqlitePaymentDbContext Sqlite(string? path = null) =>
        new(DesignTimeDbContextOptions.Sqlite<SqlitePaymentDbContext>(path ?? Path.Combine(directory, $"{Guid.NewGuid():N}.db")));

    private static Task InsertPaymentAsync(PaymentDbContext context, string orderId, double amount) =>
        context.Database.ExecuteSqlAsync(
            $"INSERT INTO Payments (OrderId, PaymentId, CustomerId, Amount, Currency, Status, Version, CreatedAt, UpdatedAt) VALUES ({orderId}, {Guid.NewGuid().ToString("N")}, 'c', {amount}, 'EUR', 'Captured', 1, 1, 1)");

    private static Task InsertTransactionAsync(PaymentDbContext context, string orderId, string kind, double amount) =>
        context.Database.ExecuteSqlAsync(
            $"INSERT INTO PaymentTransactions (Id, OrderId, Kind, Amount, At) VALUES ({Guid.NewGuid().ToString("N")}, {orderId}, {kind}, {amount}, 1)");
}
