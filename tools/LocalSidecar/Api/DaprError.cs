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

    public static DaprError Malformed(string message, string? reason = null) =>
        new(400, "ERR_MALFORMED_REQUEST", message, StatusCode.InvalidArgument, reason);

    public RpcException ToRpcException() => new(new Status(GrpcStatus, Message));
}
