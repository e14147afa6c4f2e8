using Dapr.Client.Autogen.Grpc.v1;
using Grpc.Core;
using LocalSidecar.Lock;

namespace LocalSidecar.Api.Grpc;

/// <summary>TryLockAlpha1 / UnlockAlpha1; the rules live in <see cref="LockStoreRegistry"/>.</summary>
public sealed partial class DaprGrpcService
{
    public override Task<TryLockResponse> TryLockAlpha1(TryLockRequest request, ServerCallContext context) => Guard(async () =>
    {
        var locks = services.GetRequiredService<LockStoreRegistry>();
        var success = await locks.TryLockAsync(request.StoreName, request.ResourceId, request.LockOwner, request.ExpiryInSeconds);
        return new TryLockResponse { Success = success };
    });

    public override Task<UnlockResponse> UnlockAlpha1(UnlockRequest request, ServerCallContext context) => Guard(async () =>
    {
        var locks = services.GetRequiredService<LockStoreRegistry>();
        var status = await locks.UnlockAsync(request.StoreName, request.ResourceId, request.LockOwner);
        return new UnlockResponse { Status = (UnlockResponse.Types.Status)(int)status };
    });
}
