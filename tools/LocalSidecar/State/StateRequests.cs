namespace LocalSidecar.State;

/// <summary>One item to save, as both APIs hand it over (key not yet prefixed, value already encoded).</summary>
/// <param name="ETag">Null or "" for none.</param>
/// <param name="Concurrency">"", "first-write", "last-write" — anything else is refused by the store.</param>
/// <param name="Consistency">"", "strong", "eventual" — anything else is refused by the store.</param>
public sealed record SaveRequest(
    string Key,
    byte[] Value,
    string? ETag,
    string Concurrency,
    string Consistency,
    IReadOnlyDictionary<string, string> Metadata);

public sealed record DeleteRequest(
    string Key,
    string? ETag,
    string Concurrency,
    string Consistency,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A transaction operation: "upsert" carries <see cref="Save"/>, "delete" carries <see cref="Delete"/>.</summary>
public sealed record TransactionOperation(string OperationType, SaveRequest? Save, DeleteRequest? Delete);

/// <summary>One bulk-get answer: data/etag null for a missing key, <see cref="Error"/> set when that key's read failed.</summary>
public sealed record BulkGetItem(string Key, byte[]? Data, string? ETag, string? Error);
