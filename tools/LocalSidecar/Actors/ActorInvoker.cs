using Grpc.Core;
using LocalSidecar.Api;

namespace LocalSidecar.Actors;

/// <summary>
/// Actor method invocation as daprd's API does it: find the hosting sidecar, take the actor's turn there (with
/// reentrancy when the type enables it), PUT to the app, and read the answer by dapr:pkg/actors/targets/app rules.
/// </summary>
public sealed class ActorInvoker(ActorPlacement placement)
{
    public const string ReentrancyHeader = "Dapr-Reentrancy-Id";

    /// <summary>
    /// Returns the app's 200 answer, or its 200 + X-DaprErrorResponseHeader answer (passed through unchanged);
    /// anything else becomes 500 ERR_ACTOR_INVOKE_METHOD.
    /// </summary>
    public async Task<ActorAppResponse> InvokeAsync(string type, string id, ActorAppRequest request, CancellationToken cancellationToken)
    {
        // Choice: an unhosted type fails at once with the message daprd gives after its placement lookup times out.
        var runtime = await placement.LookupAsync(type, cancellationToken)
            ?? throw InvokeError($"failed to lookup actor: api error: code = FailedPrecondition desc = did not find address for actor '{type}/{id}'");

        var settings = runtime.Config.Result.Types[type];
        string? reentrancyId = null;
        var headers = request.Headers.Where(h => !h.Key.Equals(ReentrancyHeader, StringComparison.OrdinalIgnoreCase)).ToList();
        if (settings.ReentrancyEnabled)
        {
            // daprd generates the id for the first call of a chain and forwards it, so the app can pass it on.
            reentrancyId = request.Headers.FirstOrDefault(h => h.Key.Equals(ReentrancyHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault()
                           ?? Guid.NewGuid().ToString();
            headers.Add(new(ReentrancyHeader, [reentrancyId]));
        }
        else if (request.Headers.FirstOrDefault(h => h.Key.Equals(ReentrancyHeader, StringComparison.OrdinalIgnoreCase)) is { Value: { } given })
        {
            headers.Add(new(ReentrancyHeader, given));
        }

        var forwarded = request with { Headers = headers };
        ActorAppResponse response;
        try
        {
            response = (await runtime.WithTurnAsync(type, id, reentrancyId, activate: true,
                ct => runtime.SendToAppAsync(type, id, forwarded, ct), cancellationToken))!;
        }
        catch (HttpRequestException e)
        {
            throw InvokeError($"error invoking app channel: {e.Message}");
        }

        if (response.Status == 404)
            throw InvokeError($"actor method not found: actors/{type}/{id}/method/{request.Method}");
        if (response.Status != 200)
            throw InvokeError($"error from actor service: ({response.Status}) {System.Text.Encoding.UTF8.GetString(response.Body)}");
        return response;
    }

    private static DaprError InvokeError(string detail) =>
        new(500, "ERR_ACTOR_INVOKE_METHOD", $"error invoke actor method: {detail}", StatusCode.Internal);
}
