using Microsoft.EntityFrameworkCore;

namespace DaprReservations.BuildingBlocks.Messaging;

public static class MessagingModelBuilderExtensions
{
    /// <summary>Adds the <c>OutboxMessages</c> and <c>InboxMessages</c> tables to a service's model.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("OutboxMessages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.MessageId).HasMaxLength(64).IsRequired();
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.Property(m => m.Topic).HasMaxLength(128).IsRequired();
            outbox.Property(m => m.Type).HasMaxLength(128).IsRequired();
            outbox.Property(m => m.PartitionKey).HasMaxLength(64).IsRequired();
            outbox.Property(m => m.ClaimedBy).HasMaxLength(64);
            outbox.Property(m => m.LastError).HasMaxLength(1024);
            // The relay's query: unpublished rows in id order, and "is there an earlier unpublished row for this key".
            outbox.HasIndex(m => new { m.PublishedAtUtc, m.Id });
            outbox.HasIndex(m => new { m.PartitionKey, m.PublishedAtUtc });
        });

        model.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("InboxMessages");
            inbox.HasKey(m => new { m.Consumer, m.MessageId });
            inbox.Property(m => m.Consumer).HasMaxLength(128);
            inbox.Property(m => m.MessageId).HasMaxLength(128);
            inbox.HasIndex(m => m.ProcessedAtUtc);
        });
        return model;
    }
}
