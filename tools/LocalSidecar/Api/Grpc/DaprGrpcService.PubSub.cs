using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LocalSidecar.PubSub;

namespace LocalSidecar.Api.Grpc;

/// <summary>PublishEvent, BulkPublishEvent and its Alpha1 twin (the SDK falls back to it on Unimplemented).</summary>
public sealed partial class DaprGrpcService
{
    public override Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) => Guard(async () =>
    {
        await services.GetRequiredService<PubSubPublisher>().PublishAsync(new PublishRequest(
            request.PubsubName, request.Topic, request.Data.ToByteArray(), request.DataContentType, request.Metadata,
            TraceHeader(context, "traceparent"), TraceHeader(context, "tracestate"),
            StoreEmptyMetadata: false)); // an empty proto map is nil in Go: contrib then writes no metadata field
        return EmptyResult;
    });

    public override Task<BulkPublishResponse> BulkPublishEvent(BulkPublishRequest request, ServerCallContext context) => Guard(async () =>
    {
        var entries = request.Entries
            .Select(e => new BulkPublishEntry(e.EntryId, e.Event.ToByteArray(), e.ContentType, e.Metadata))
            .ToList();
        var failed = await services.GetRequiredService<PubSubPublisher>().BulkPublishAsync(
            request.PubsubName, request.Topic, entries, request.Metadata,
            TraceHeader(context, "traceparent"), TraceHeader(context, "tracestate"));
        var response = new BulkPublishResponse();
        foreach (var (entryId, error) in failed)
            response.FailedEntries.Add(new BulkPublishResponseFailedEntry { EntryId = entryId, Error = error });
        return response;
    });

    public override Task<BulkPublishResponse> BulkPublishEventAlpha1(BulkPublishRequest request, ServerCallContext context) =>
        BulkPublishEvent(request, context);

    private static string? TraceHeader(ServerCallContext context, string name) =>
        context.RequestHeaders.GetValue(name) is { Length: > 0 } value ? value : null;
}
