namespace DaprReservations.BuildingBlocks.Messaging;

/// <summary>
/// An event waiting to be published, written in the same transaction as the state change it announces (so a commit
/// without its event, or an event without its commit, cannot happen). <see cref="OutboxRelay{TContext}"/> publishes
/// it through Dapr pub/sub with <see cref="MessageId"/> as the CloudEvent id, so every redelivery and every
/// re-publish after a crash carries the same id and consumers' inboxes recognise it.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>The CloudEvent id (a GUID, "N" format): stable across re-publishes.</summary>
    public string MessageId { get; set; } = "";

    public string Topic { get; set; } = "";

    /// <summary>The CloudEvent type, e.g. <c>ordering.order-confirmed.v1</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The event as JSON (the CloudEvent's <c>data</c>).</summary>
    public string Payload { get; set; } = "";

    /// <summary>Events with the same key (an order id) are published in the order they were written.</summary>
    public string PartitionKey { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? PublishedAtUtc { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAtUtc { get; set; }

    /// <summary>Which relay instance holds the message and until when: two replicas never publish the same row at once.</summary>
    public string? ClaimedBy { get; set; }

    public DateTime? ClaimedUntilUtc { get; set; }

    public string? LastError { get; set; }

    /// <summary>Set after <see cref="OutboxOptions.MaxAttempts"/> failures: kept for an operator, skipped by the relay.</summary>
    public bool Poisoned { get; set; }
}

/// <summary>
/// The record that a consumer has already applied an event: (consumer, CloudEvent id) is the primary key and the row
/// is written in the same transaction as the effect, so a redelivered event has no second effect.
/// </summary>
public sealed class InboxMessage
{
    public string Consumer { get; set; } = "";

    public string MessageId { get; set; } = "";

    public DateTime ProcessedAtUtc { get; set; }
}
