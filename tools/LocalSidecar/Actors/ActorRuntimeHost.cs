using LocalSidecar.Hosting;

namespace LocalSidecar.Actors;

/// <summary>
/// Starts the actor runtime the way daprd does: once the app port is open, GET /dapr/config (content-type
/// application/json, dapr-app-id); then scans for idle actors; on shutdown deactivates all of them.
/// </summary>
public sealed class ActorRuntimeHost(ActorRuntime runtime, ActorScheduler scheduler, AppChannel channel, SidecarContext context,
    TimeProvider time, ILogger<ActorRuntimeHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!channel.HasApp)
        {
            runtime.SetConfig(ActorAppConfig.Empty);
            return;
        }

        try
        {
            await channel.WaitForAppAsync(stoppingToken);
            runtime.SetConfig(await ReadConfigAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            runtime.SetConfig(ActorAppConfig.Empty);
            return;
        }
        catch (Exception e)
        {
            logger.LogWarning("actors: could not read the app's /dapr/config ({Error}); no actor types hosted", e.Message);
            runtime.SetConfig(ActorAppConfig.Empty);
            return;
        }

        var config = runtime.Config.Result;
        if (config.Types.Count == 0)
            return;
        logger.LogInformation("actors: hosting [{Types}]", string.Join(", ", config.Types.Keys));

        // daprd checks idleness continuously; scanning at a quarter of the shortest timeout (100 ms – 1 s) keeps
        // short test timeouts accurate without a busy loop.
        var shortest = config.Types.Values.Min(t => t.IdleTimeout);
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 100, 1000));
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await runtime.DeactivateIdleAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("actors: idle scan failed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<ActorAppConfig> ReadConfigAsync(CancellationToken cancellationToken)
    {
        using var request = channel.CreateRequest(HttpMethod.Get, "dapr/config");
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("dapr-app-id", context.AppId);
        using var response = await channel.Http!.SendAsync(request, cancellationToken);
        // A non-200 answer means "no actors" to daprd.
        if ((int)response.StatusCode != 200)
            return ActorAppConfig.Empty;
        return ActorAppConfig.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        scheduler.StopAll();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await runtime.DeactivateAllAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await base.StopAsync(cancellationToken);
    }
}
