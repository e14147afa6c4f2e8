using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DaprReservations.BuildingBlocks.Persistence;

/// <summary>
/// Per-connection SQLite settings for a file several writers share (API requests, event handlers, the outbox relay).
/// <c>busy_timeout</c> lets SQLite itself wait for the write lock in short steps; without it Microsoft.Data.Sqlite
/// retries a busy statement after a blocking 150 ms sleep, which under load starves the thread pool and stretches
/// every commit. <c>synchronous=NORMAL</c> is the durable-on-commit setting recommended with WAL (a power loss may
/// drop the last transactions, never corrupt the file); production runs on SQL Server anyway.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
