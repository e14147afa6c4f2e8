using DaprReservations.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BuildingBlocks.Tests.Messaging;

/// <summary>A service-like context: one business table plus the outbox and inbox, on a SQLite file.</summary>
public sealed class MessagingTestDb(DbContextOptions<MessagingTestDb> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Account>().HasKey(a => a.Id);
        modelBuilder.Entity<Account>().Property(a => a.Version).IsConcurrencyToken();
        modelBuilder.AddOutboxAndInbox();
    }

    public static DbContextOptions<MessagingTestDb> Options(string path) =>
        new DbContextOptionsBuilder<MessagingTestDb>().UseSqlite($"Data Source={path}").Options;
}

public sealed class Account
{
    public string Id { get; set; } = "";

    public int Balance { get; set; }

    public int Version { get; set; }
}
