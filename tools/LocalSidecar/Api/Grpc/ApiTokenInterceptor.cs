using Grpc.Core;
using Grpc.Core.Interceptors;
using LocalSidecar.Api.Http;
using LocalSidecar.Hosting;

namespace LocalSidecar.Api.Grpc;

/// <summary>DAPR_API_TOKEN on the gRPC port, with daprd's status and messages.</summary>
public sealed class ApiTokenInterceptor(SidecarOptions options) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (string.IsNullOrEmpty(options.ApiToken))
            return;
        var presented = context.RequestHeaders.GetValue(ApiTokenMiddleware.Header);
        if (presented is null)
            throw new RpcException(new Status(StatusCode.Unauthenticated, "missing api token in request metadata"));
        if (!ApiTokenMiddleware.Matches(presented, options.ApiToken))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authentication error: api token mismatch"));
    }
}
