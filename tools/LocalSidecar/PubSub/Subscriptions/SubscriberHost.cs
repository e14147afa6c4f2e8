using LocalSidecar.Hosting;

namespace LocalSidecar.PubSub.Subscriptions;

/// <summary>
/// Starts delivery once the app is reachable: reads GET /dapr/subscribe, then runs one <see cref="ComponentSubscriber"/>
/// per pubsub component that has subscriptions. Also answers /v1.0/metadata's subscription list.
/// </summary>
public sealed class SubscriberHost(
    AppChannel channel, SubscriptionDiscovery discovery, PubSubRegistry registry, AppDelivery delivery, ILogger<SubscriberHost> logger)
    : IHostedService, ISubscriptionMetadataSource
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private volatile IReadOnlyList<Subscription> _subscriptions = [];
    private Task? _run;

    public IReadOnlyList<Subscription> Active => _subscriptions;

    public IReadOnlyList<SubscriptionInfo> Subscriptions() => _subscriptions.Select(s => s.ToInfo()).ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (channel.HasApp && registry.All.Count > 0)
            _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await channel.WaitForAppAsync(stopping);
            var discovered = await discovery.DiscoverAsync(stopping);
            var accepted = new List<Subscription>();
            var started = new List<Subscription>();
            foreach (var subscription in discovered)
            {
                if (registry.Find(subscription.PubsubName) is not { } component)
                {
                    logger.LogWarning("subscription to {Topic}: pubsub {PubSub} is not configured; skipped", subscription.Topic, subscription.PubsubName);
                }
                else if (accepted.Any(a => a.PubsubName == subscription.PubsubName && a.Topic == subscription.Topic))
                {
                    logger.LogWarning("duplicate subscription to {Topic} on {PubSub}; the first one is used", subscription.Topic, subscription.PubsubName);
                }
                else
                {
                    // daprd keeps the subscription (it is listed in the metadata) but never starts one its scopes refuse.
                    accepted.Add(subscription);
                    if (component.Scopes.MaySubscribe(subscription.Topic))
                        started.Add(subscription);
                    else
                        logger.LogError("Failed to start subscription for pubsub {PubSub}, topic {Topic}: subscription to topic '{Topic}' on pubsub '{PubSub}' is not allowed",
                            subscription.PubsubName, subscription.Topic, subscription.Topic, subscription.PubsubName);
                }
            }

            foreach (var group in started.GroupBy(s => s.PubsubName))
            {
                var subscriber = new ComponentSubscriber(registry.Find(group.Key)!, delivery, logger);
                try
                {
                    var loops = await subscriber.StartAsync(group.ToList(), stopping);
                    lock (_loops)
                        _loops.AddRange(loops);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "subscribing to pubsub {PubSub} failed", group.Key);
                }
            }

            _subscriptions = accepted;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (TimeoutException e)
        {
            logger.LogError("no subscriptions started: {Error}", e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task[] all;
        lock (_loops)
            all = [.. _loops, _run ?? Task.CompletedTask];
        await Task.WhenAll(all).WaitAsync(cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}
