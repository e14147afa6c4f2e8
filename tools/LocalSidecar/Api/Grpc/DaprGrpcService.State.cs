using System.Text.Json;
using CommonStateItem = Dapr.Client.Autogen.Grpc.v1.StateItem;
using CommonStateOptions = Dapr.Client.Autogen.Grpc.v1.StateOptions;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Google.Protobuf;
using Grpc.Core;
using LocalSidecar.Json;
using LocalSidecar.State;

namespace LocalSidecar.Api.Grpc;

/// <summary>State over gRPC: values are stored as the raw bytes sent (the .NET SDK's path), see §1.8.</summary>
public sealed partial class DaprGrpcService
{
    private StateStore StateStoreNamed(string name) => services.GetRequiredService<StateStoreRegistry>().Get(name);

    public override Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context) => Guard(async () =>
    {
        var state = await StateStoreNamed(request.StoreName).GetAsync(request.Key);
        // A missing key is OK with empty data and etag "", never NotFound.
        return new GetStateResponse
        {
            Data = state is null ? ByteString.Empty : ByteString.CopyFrom(state.Data),
            Etag = state?.ETag ?? "",
        };
    });

    public override Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context) => Guard(async () =>
    {
        var items = await StateStoreNamed(request.StoreName).BulkGetAsync(request.Keys.ToList(), request.Parallelism);
        var response = new GetBulkStateResponse();
        foreach (var item in items)
        {
            response.Items.Add(new BulkStateItem
            {
                Key = item.Key,
                Data = item.Data is null ? ByteString.Empty : ByteString.CopyFrom(item.Data),
                Etag = item.ETag ?? "",
                Error = item.Error ?? "",
            });
        }

        return response;
    });

    public override Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context) => Guard(async () =>
    {
        var store = StateStoreNamed(request.StoreName);
        await store.SaveAsync(request.States.Select(ToSaveRequest).ToList());
        return EmptyResult;
    });

    public override Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context) => Guard(async () =>
    {
        var store = StateStoreNamed(request.StoreName);
        var (concurrency, consistency) = Options(request.Options);
        await store.DeleteAsync(new DeleteRequest(request.Key, request.Etag?.Value, concurrency, consistency, request.Metadata));
        return EmptyResult;
    });

    public override Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context) => Guard(async () =>
    {
        var store = StateStoreNamed(request.StoreName);
        await store.DeleteBulkAsync(request.States.Select(s =>
        {
            var (concurrency, consistency) = Options(s.Options);
            return new DeleteRequest(s.Key, s.Etag?.Value, concurrency, consistency, s.Metadata);
        }).ToList());
        return EmptyResult;
    });

    public override Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context) => Guard(async () =>
    {
        var store = StateStoreNamed(request.StoreName);
        var operations = request.Operations.Select(o => o.OperationType switch
        {
            "upsert" => new TransactionOperation(o.OperationType, ToSaveRequest(o.Request ?? new CommonStateItem()), null),
            "delete" => new TransactionOperation(o.OperationType, null, ToDeleteRequest(o.Request ?? new CommonStateItem())),
            _ => new TransactionOperation(o.OperationType, null, null),
        }).ToList();
        await store.TransactAsync(operations);
        return EmptyResult;
    });

    private static SaveRequest ToSaveRequest(CommonStateItem item)
    {
        var (concurrency, consistency) = Options(item.Options);
        var value = item.Value.ToByteArray();
        // daprd's one exception to "gRPC bytes are stored raw": contentType=application/json re-encodes like HTTP.
        if (item.Metadata.TryGetValue("contentType", out var contentType) && contentType == "application/json")
            value = ReencodeJson(value);
        return new SaveRequest(item.Key, value, item.Etag?.Value, concurrency, consistency, item.Metadata);
    }

    private static DeleteRequest ToDeleteRequest(CommonStateItem item)
    {
        var (concurrency, consistency) = Options(item.Options);
        return new DeleteRequest(item.Key, item.Etag?.Value, concurrency, consistency, item.Metadata);
    }

    private static byte[] ReencodeJson(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return GoJson.Reencode(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new DaprError(400, "ERR_MALFORMED_REQUEST", $"failed to unmarshal JSON state value: {e.Message}", StatusCode.InvalidArgument);
        }
    }

    private static (string Concurrency, string Consistency) Options(CommonStateOptions? options) => (
        options?.Concurrency switch
        {
            CommonStateOptions.Types.StateConcurrency.ConcurrencyFirstWrite => StateScripts.FirstWrite,
            CommonStateOptions.Types.StateConcurrency.ConcurrencyLastWrite => StateScripts.LastWrite,
            _ => "",
        },
        options?.Consistency switch
        {
            CommonStateOptions.Types.StateConsistency.ConsistencyEventual => "eventual",
            CommonStateOptions.Types.StateConsistency.ConsistencyStrong => "strong",
            _ => "",
        });
}
