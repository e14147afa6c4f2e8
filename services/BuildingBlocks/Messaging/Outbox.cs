using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DaprReservations.BuildingBlocks.Messaging;

/// <summary>An event to publish: where to, what kind, and which events it must stay in order with.</summary>
public sealed record OutgoingEvent(string Topic, string Type, object Payload, string PartitionKey);

public static class Outbox
{
    /// <summary>
    /// Adds the event to the context: it is committed by the same <c>SaveChanges</c> as the change it announces, and
    /// published by the relay only after that commit.
    /// </summary>
    public static OutboxMessage Enqueue(this DbContext db, OutgoingEvent outgoing, TimeProvider? time = null)
    {
        var message = new OutboxMessage
        {
            MessageId = Guid.NewGuid().ToString("N"),
            Topic = outgoing.Topic,
            Type = outgoing.Type,
            Payload = JsonSerializer.Serialize(outgoing.Payload, outgoing.Payload.GetType(), DaprReservationsJson.Options),
            PartitionKey = outgoing.PartitionKey,
            CreatedAtUtc = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime,
        };
        db.Set<OutboxMessage>().Add(message);
        return message;
    }
}

/// <summary>Wakes the relay as soon as a commit has written outbox rows, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { } // already signalled: one wake-up covers every commit before it
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Notifies <see cref="OutboxSignal"/> once outbox rows are committed: after SaveChanges, or after the commit of the
/// explicit transaction around it.
/// </summary>
internal sealed class OutboxSignalInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Pending = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
            Pending.AddOrUpdate(db, Pending);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { Database.CurrentTransaction: null } db)
            NotifyIfPending(db);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db)
            NotifyIfPending(db);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } db)
            NotifyIfPending(db);
    }

    private void NotifyIfPending(DbContext db)
    {
        if (Pending.Remove(db))
            signal.Notify();
    }
}
