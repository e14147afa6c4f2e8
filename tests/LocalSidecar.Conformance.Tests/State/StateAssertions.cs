using Dapr;
using Grpc.Core;

namespace LocalSidecar.Conformance.Tests.State;

internal static class StateAssertions
{
    /// <summary>The gRPC status behind a DaprException (the SDK wraps every RpcException).</summary>
    public static async Task<StatusCode> ThrowsDaprStatusAsync(Func<Task> call)
    {
        var thrown = await call.Should().ThrowAsync<DaprException>();
        return thrown.Which.InnerException.Should().BeOfType<RpcException>().Which.StatusCode;
    }

    /// <summary>Polls (every 100 ms) until the condition holds or the deadline passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(100);
        }

        return await condition();
    }
}
