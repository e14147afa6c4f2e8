using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DaprReservations.BuildingBlocks.Messaging;

public enum InboxResult
{
    /// <summary>The effect ran and was committed together with the inbox row.</summary>
    Processed,

    /// <summary>This consumer had already applied the event: nothing was changed.</summary>
    Duplicate,
}

public static class Inbox
{
    private const int ConcurrencyAttempts = 5;

    /// <summary>
    /// Applies an event's effect at most once per consumer: the effect's changes and the (consumer, message id) row
    /// commit in one transaction, and the primary key on that row is what refuses a second copy, even when two
    /// deliveries of the same event race. The effect should only stage changes on <paramref name="db"/> (and outbox
    /// events); this method saves them. An optimistic concurrency conflict re-runs the effect on fresh data, a few
    /// times, with jitter; any other failure propagates so the broker redelivers.
    /// </summary>
    public static async Task<InboxResult> HandleOnceAsync<TContext>(
        this TContext db, string consumer, string messageId, Func<TContext, CancellationToken, Task> effect,
        CancellationToken ct, TimeProvider? time = null)
        where TContext : DbContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var inbox = db.Set<InboxMessage>();
        for (var attempt = 1; ; attempt++)
        {
            if (await inbox.AsNoTracking().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, ct))
                return InboxResult.Duplicate;

            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(async () =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    await effect(db, ct);
                    inbox.Add(new InboxMessage
                    {
                        Consumer = consumer,
                        MessageId = messageId,
                        ProcessedAtUtc = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime,
                    });
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                });
                return InboxResult.Processed;
            }
            catch (DbUpdateConcurrencyException) when (attempt < ConcurrencyAttempts)
            {
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
            catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
            {
                // A parallel delivery of the same event committed first (or the effect hit a unique key: the
                // inbox check on the next round tells which).
                db.ChangeTracker.Clear();
                if (attempt >= ConcurrencyAttempts)
                    throw;
            }
        }
    }
}

/// <summary>Recognises a unique-key or primary-key violation on either provider.</summary>
public static class UniqueViolation
{
    public static bool Is(DbUpdateException exception) => exception.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2627 or 2601,
        _ => false,
    };
}
