using System.Text.Json;
using LocalSidecar.Json;
using LocalSidecar.State;
using static LocalSidecar.Api.Http.GoJsonBody;

namespace LocalSidecar.Api.Http;

/// <summary>The bodies of daprd's HTTP state routes (§1.11), bound with Go semantics; values re-encoded per §1.8.</summary>
public static class StateHttpBodies
{
    /// <summary>POST /v1.0/state/{store}: [{"key","value","etag","metadata","options"}]. Query metadata.* goes into every item.</summary>
    public static List<SaveRequest> ParseSave(byte[] body, IReadOnlyDictionary<string, string> queryMetadata)
    {
        using var document = Parse(body);
        var items = new List<SaveRequest>();
        foreach (var element in Array(document.RootElement, "state request"))
        {
            var item = Struct(element, "state request");
            var key = String(item, "key") ?? "";
            if (key.Length == 0)
                throw DaprError.Malformed("failed deserializing HTTP body: state key cannot be empty");
            items.Add(ParseSaveItem(item, key, queryMetadata));
        }

        return items;
    }

    /// <summary>POST /v1.0/state/{store}/bulk: {"keys":[],"parallelism":n,"metadata":{}}.</summary>
    public static (List<string> Keys, int Parallelism) ParseBulkGet(byte[] body)
    {
        using var document = Parse(body);
        var root = Struct(document.RootElement, "bulk get request");
        var keys = Field(root, "keys") is { } k
            ? Array(k, "keys").Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw DaprError.Malformed("failed deserializing HTTP body: keys must be strings")).ToList()
            : [];
        var parallelism = Field(root, "parallelism") is { } p
            ? p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) ? n : throw DaprError.Malformed("failed deserializing HTTP body: parallelism must be an integer")
            : 0;
        _ = StringMap(root, "metadata");
        return (keys, parallelism);
    }

    /// <summary>POST /v1.0/state/{store}/transaction: {"operations":[{"operation","request"}],"metadata":{}}.</summary>
    public static List<TransactionOperation> ParseTransaction(byte[] body)
    {
        using var document = Parse(body);
        var root = Struct(document.RootElement, "transaction request");
        _ = StringMap(root, "metadata");
        var operations = new List<TransactionOperation>();
        foreach (var element in Field(root, "operations") is { } ops ? Array(ops, "operations") : [])
        {
            var operation = Struct(element, "operation");
            var type = String(operation, "operation") ?? "";
            var request = Object(operation, "request") is { } r ? r : Struct(default, "request");
            var key = String(request, "key") ?? "";
            var empty = new Dictionary<string, string>();
            operations.Add(type switch
            {
                "upsert" => new TransactionOperation(type, ParseSaveItem(request, key, empty), null),
                "delete" => new TransactionOperation(type, null, ParseDeleteItem(request, key)),
                _ => new TransactionOperation(type, null, null),
            });
        }

        return operations;
    }

    private static SaveRequest ParseSaveItem(JsonElement item, string key, IReadOnlyDictionary<string, string> queryMetadata)
    {
        // A missing value is stored as JSON null, as Go's nil interface is encoded.
        var value = Field(item, "value") is { } v ? GoJson.Reencode(v) : "null"u8.ToArray();
        var metadata = StringMap(item, "metadata");
        foreach (var (name, text) in queryMetadata)
            metadata[name] = text;
        var (concurrency, consistency) = Options(item);
        return new SaveRequest(key, value, String(item, "etag"), concurrency, consistency, metadata);
    }

    private static DeleteRequest ParseDeleteItem(JsonElement item, string key)
    {
        var (concurrency, consistency) = Options(item);
        return new DeleteRequest(key, String(item, "etag"), concurrency, consistency, StringMap(item, "metadata"));
    }

    private static (string Concurrency, string Consistency) Options(JsonElement item) =>
        Object(item, "options") is { } options
            ? (String(options, "concurrency") ?? "", String(options, "consistency") ?? "")
            : ("", "");
}
