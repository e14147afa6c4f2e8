using DaprReservations.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BuildingBlocks.Tests.Messaging;

/// <summary>The inbox's claim: an event applied by a consumer once, however often and however concurrently it arrives.</summary>
public sealed class InboxTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("inbox-").FullName;
    private string Path => System.IO.Path.Combine(directory, "inbox.db");

    public async Task InitializeAsync()
    {
        await using var db = new MessagingTestDb(MessagingTestDb.Options(Path));
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        db.Accounts.Add(new Account { Id = "a", Balance = 0 });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_of_one_event_apply_its_effect_once()
    {
        var results = await DaprReservations.Testing.Race.RunAsync(20, async _ =>
        {
            await using var db = new MessagingTestDb(MessagingTestDb.Options(Path));
            return await db.HandleOnceAsync("ledger/deposit", "event-1", Deposit(10), CancellationToken.None);
        });

        results.Count(r => r == InboxResult.Processed).Should().Be(1);
        results.Count(r => r == InboxResult.Duplicate).Should().Be(19);
        await using var check = new MessagingTestDb(MessagingTestDb.Options(Path));
        (await check.Accounts.SingleAsync()).Balance.Should().Be(10);
        (await check.Set<InboxMessage>().CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Different_events_racing_on_one_row_are_all_applied_none_lost()
    {
        var results = await DaprReservations.Testing.Race.RunAsync(15, async i =>
        {
            await using var db = new MessagingTestDb(MessagingTestDb.Options(Path));
            return await db.HandleOnceAsync("ledger/deposit", $"event-{i}", Deposit(1), CancellationToken.None);
        });

        results.Should().OnlyContain(r => r == InboxResult.Processed);
        await using var check = new MessagingTestDb(MessagingTestDb.Options(Path));
        (await check.Accounts.SingleAsync()).Balance.Should().Be(15, "a concurrency conflict re-runs the effect on fresh data: no lost update");
    }

    [Fact]
    public async Task The_same_event_id_counts_separately_per_consumer_and_a_failed_effect_leaves_no_mark()
    {
        await using var db = new MessagingTestDb(MessagingTestDb.Options(Path));

        (await db.HandleOnceAsync("ledger/deposit", "event-x", Deposit(1), CancellationToken.None)).Should().Be(InboxResult.Processed);
        (await db.HandleOnceAsync("audit/deposit", "event-x", Deposit(1), CancellationToken.None)).Should().Be(InboxResult.Processed);
        var failing = () => db.HandleOnceAsync("report/deposit", "event-x", (_, _) => throw new TimeoutException("downstream"), CancellationToken.None);

        await failing.Should().ThrowAsync<TimeoutException>();
        (await db.Set<InboxMessage>().AsNoTracking().CountAsync(m => m.Consumer == "report/deposit")).Should().Be(0, "redelivery must find it unprocessed");
        (await db.Accounts.AsNoTracking().SingleAsync()).Balance.Should().Be(2);
    }

    private static Func<MessagingTestDb, CancellationToken, Task> Deposit(int amount) => async (db, ct) =>
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == "a", ct);
        account.Balance += amount;
        account.Version++;
    };
}
