using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LocalSidecar.Hosting;

namespace LocalSidecar.Api.Grpc;

/// <summary>
/// The server side of <c>dapr.proto.runtime.v1.Dapr</c>. Dapr.Protos ships only the client stub, so the service is
/// bound here from the package's own descriptor and message types (no copied .proto): each method's name and
/// request/response types are checked against <see cref="DaprReflection.Descriptor"/> at bind time.
/// Methods not bound answer Unimplemented, as daprd does for APIs it lacks.
/// <see cref="DaprGrpcService"/> overrides the handlers, in partial files per building block.
/// </summary>
[BindServiceMethod(typeof(DaprServiceBase), nameof(BindService))]
public abstract class DaprServiceBase
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Descriptor =
        DaprReflection.Descriptor.Services.Single(s => s.FullName == "dapr.proto.runtime.v1.Dapr");

    public static void BindService(ServiceBinderBase binder, DaprServiceBase? service)
    {
        // ASP.NET Core's binder finds the handler by method name on this class; the delegates only matter elsewhere.
        Unary<GetStateRequest, GetStateResponse>(binder, "GetState", service is null ? null : service.GetState);
        Unary<GetBulkStateRequest, GetBulkStateResponse>(binder, "GetBulkState", service is null ? null : service.GetBulkState);
        Unary<SaveStateRequest, Empty>(binder, "SaveState", service is null ? null : service.SaveState);
        Unary<DeleteStateRequest, Empty>(binder, "DeleteState", service is null ? null : service.DeleteState);
        Unary<DeleteBulkStateRequest, Empty>(binder, "DeleteBulkState", service is null ? null : service.DeleteBulkState);
        Unary<ExecuteStateTransactionRequest, Empty>(binder, "ExecuteStateTransaction", service is null ? null : service.ExecuteStateTransaction);
        Unary<PublishEventRequest, Empty>(binder, "PublishEvent", service is null ? null : service.PublishEvent);
        Unary<BulkPublishRequest, BulkPublishResponse>(binder, "BulkPublishEvent", service is null ? null : service.BulkPublishEvent);
        Unary<BulkPublishRequest, BulkPublishResponse>(binder, "BulkPublishEventAlpha1", service is null ? null : service.BulkPublishEventAlpha1);
        Unary<TryLockRequest, TryLockResponse>(binder, "TryLockAlpha1", service is null ? null : service.TryLockAlpha1);
        Unary<UnlockRequest, UnlockResponse>(binder, "UnlockAlpha1", service is null ? null : service.UnlockAlpha1);
        Unary<GetMetadataRequest, GetMetadataResponse>(binder, "GetMetadata", service is null ? null : service.GetMetadata);
        Unary<SetMetadataRequest, Empty>(binder, "SetMetadata", service is null ? null : service.SetMetadata);
        Unary<ShutdownRequest, Empty>(binder, "Shutdown", service is null ? null : service.Shutdown);
    }

    private static void Unary<TRequest, TResponse>(ServiceBinderBase binder, string name, UnaryServerMethod<TRequest, TResponse>? handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var method = Descriptor.FindMethodByName(name)
            ?? throw new InvalidOperationException($"Dapr.Protos has no method {Descriptor.FullName}/{name}");
        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new InvalidOperationException(
                $"{name}: Dapr.Protos declares {method.InputType.ClrType?.Name} -> {method.OutputType.ClrType?.Name}");
        }

        var requestParser = (MessageParser<TRequest>)method.InputType.Parser;
        var responseParser = (MessageParser<TResponse>)method.OutputType.Parser;
        binder.AddMethod(
            new Method<TRequest, TResponse>(MethodType.Unary, Descriptor.FullName, name,
                Marshallers.Create(m => m.ToByteArray(), requestParser.ParseFrom),
                Marshallers.Create(m => m.ToByteArray(), responseParser.ParseFrom)),
            handler);
    }

    private static RpcException Unimplemented(string name) =>
        new(new Status(StatusCode.Unimplemented, $"the local sidecar does not implement {name}"));

    public virtual Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context) => throw Unimplemented("GetState");

    public virtual Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context) => throw Unimplemented("GetBulkState");

    public virtual Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context) => throw Unimplemented("SaveState");

    public virtual Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context) => throw Unimplemented("DeleteState");

    public virtual Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context) => throw Unimplemented("DeleteBulkState");

    public virtual Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context) => throw Unimplemented("ExecuteStateTransaction");

    public virtual Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) => throw Unimplemented("PublishEvent");

    public virtual Task<BulkPublishResponse> BulkPublishEvent(BulkPublishRequest request, ServerCallContext context) => throw Unimplemented("BulkPublishEvent");

    public virtual Task<BulkPublishResponse> BulkPublishEventAlpha1(BulkPublishRequest request, ServerCallContext context) => throw Unimplemented("BulkPublishEventAlpha1");

    public virtual Task<TryLockResponse> TryLockAlpha1(TryLockRequest request, ServerCallContext context) => throw Unimplemented("TryLockAlpha1");

    public virtual Task<UnlockResponse> UnlockAlpha1(UnlockRequest request, ServerCallContext context) => throw Unimplemented("UnlockAlpha1");

    public virtual Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context) => throw Unimplemented("GetMetadata");

    public virtual Task<Empty> SetMetadata(SetMetadataRequest request, ServerCallContext context) => throw Unimplemented("SetMetadata");

    public virtual Task<Empty> Shutdown(ShutdownRequest request, ServerCallContext context) => throw Unimplemented("Shutdown");
}
