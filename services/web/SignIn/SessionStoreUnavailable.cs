using Dapr;
using DaprReservations.BuildingBlocks.Problems;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace Web.SignIn;

/// <summary>
/// The session store (Dapr state through web's sidecar) failing while a signed-in request is authenticated is an
/// outage: 503 with Retry-After, never a 500, and the session is left as it was.
/// </summary>
internal sealed class SessionStoreUnavailable(ILogger<SessionStoreUnavailable> logger) : IExceptionHandler
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (DaprException or RpcException) || httpContext.Response.HasStarted)
            return false;
        logger.LogWarning(exception, "Session store unreachable through the Dapr sidecar");
        await ApiProblems.ServiceUnavailable(RetryAfter, "Your session cannot be read right now; try again shortly.").ExecuteAsync(httpContext);
        return true;
    }
}
