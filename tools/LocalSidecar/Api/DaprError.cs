using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace LocalSidecar.Api;

/// <summary>
/// An error with the exact shape daprd gives it on both of its APIs: the HTTP status + errorCode
/// (+ optional ErrorInfo reason) and the gRPC status code. Engines and façades throw it; the HTTP
/// and gRPC layers only translate.
/// </summary>
public sealed class DaprError : Exception
{
    public DaprError(int httpStatus, string errorCode, string message, StatusCode grpcStatus, string? reason = null)
        : base(message)
    {
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        GrpcStatus = grpcStatus;
        Reason = reason;
    }

    public int HttpStatus { get; }
    public string ErrorCode { get; }
    public StatusCode GrpcStatus { get; }

    /// <summary>google.rpc.ErrorInfo reason (e.g. DAPR_STATE_NOT_FOUND), emitted in "details" when set.</summary>
    public string? Reason { get; }

    /// <summary>The ErrorInfo's metadata (daprd fills it for some errors, e.g. {"error","topic"} for ERR_PUBSUB_FORBIDDEN).</summary>
    public IReadOnlyDictionary<string, string>? ReasonMetadata { get; init; }

    /// <summary>A google.rpc.ResourceInfo daprd puts before the ErrorInfo for some errors.</summary>
    public DaprErrorResource? Resource { get; init; }

    public static DaprError Malformed(string message, string? reason = null) =>
        new(400, "ERR_MALFORMED_REQUEST", message, StatusCode.InvalidArgument, reason);

    /// <summary>
    /// The gRPC status; when the error has a reason, its details travel as daprd sends them, in the
    /// grpc-status-details-bin trailer (what the SDK's DaprException.TryGetExtendedErrorInfo reads).
    /// </summary>
    public RpcException ToRpcException()
    {
        if (Reason is null)
            return new RpcException(new Status(GrpcStatus, Message));
        var status = new Google.Rpc.Status { Code = (int)GrpcStatus, Message = Message };
        if (Resource is { } resource)
        {
            status.Details.Add(Any.Pack(new Google.Rpc.ResourceInfo
            {
                ResourceType = resource.Type, ResourceName = resource.Name, Owner = resource.Owner, Description = resource.Description,
            }));
        }

        var info = new Google.Rpc.ErrorInfo { Reason = Reason, Domain = "dapr.io" };
        foreach (var (key, value) in ReasonMetadata ?? new Dictionary<string, string>())
            info.Metadata[key] = value;
        status.Details.Add(Any.Pack(info));
        return new RpcException(new Status(GrpcStatus, Message), new Metadata { { "grpc-status-details-bin", status.ToByteArray() } });
    }
}

/// <summary>google.rpc.ResourceInfo as daprd fills it (type "pubsub", the component's name, no owner, the message).</summary>
public sealed record DaprErrorResource(string Type, string Name, string Owner, string Description);
