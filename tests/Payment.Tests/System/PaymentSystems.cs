using DaprReservations.Testing;
using StackExchange.Redis;

namespace Payment.Tests.System;

/// <summary>How the simulated provider behaves in a running system.</summary>
public enum ProviderProfile
{
    /// <summary>Short latency, no random failures; <see cref="PaymentSystem.DeclinedCustomer"/> is always declined.</summary>
    Approving,

    /// <summary><c>Payment:FailureRate</c> = 1: every charge is declined.</summary>
    Failing,
}

/// <summary>
/// One running payment system at a time, shared by the system tests. Every system with app id "payment" on the run's
/// Redis reads the same consumer group, so two alive at once would split each other's deliveries: asking for another
/// profile stops the current one first (the tests of this collection run one after another).
/// </summary>
public sealed class PaymentSystems : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ProviderProfile Profile, PaymentSystem System)? _current;

    public async Task<PaymentSystem> GetAsync(ProviderProfile profile = ProviderProfile.Approving)
    {
        await _gate.WaitAsync();
        try
        {
            if (_current is { } current && current.Profile == profile)
                return current.System;
            if (_current is { } previous)
                await previous.System.DisposeAsync();
            _current = null;
            var started = await StartAsync(profile);
            _current = (profile, started);
            return started;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_current is { } current)
            await current.System.DisposeAsync();
    }

    private static async Task<PaymentSystem> StartAsync(ProviderProfile profile)
    {
        var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            Apps =
            [
                new AppSpec(PaymentSystem.AppId, "services/payment", "Payment.dll", Env: new()
                {
                    ["ConnectionStrings__payment"] = "Data Source={data}/payment.db",
                    // ordering stays an internal caller; the tests' own sidecar ("tester") plays it.
                    ["Auth__InternalCallers__1"] = DaprSystem.TesterAppId,
                    ["Payment__MinLatency"] = "00:00:00.010",
                    ["Payment__MaxLatency"] = "00:00:00.040",
                    ["Payment__FailureRate"] = profile == ProviderProfile.Failing ? "1.0" : "0.0",
                    ["Payment__DeclineCustomers__0"] = PaymentSystem.DeclinedCustomer,
                    ["Outbox__PollInterval"] = "00:00:00.250",
                }),
                // The real ordering app: payment charges only orders it placed (read back by service invocation), and
                // it consumes payment's results, checking them against payment's records in turn.
                new AppSpec(PaymentSystem.OrderingAppId, "services/ordering", "Ordering.dll", Env: new()
                {
                    ["ConnectionStrings__ordering"] = "Data Source={data}/ordering.db",
                    ["Outbox__PollInterval"] = "00:00:00.250",
                }),
            ],
        });
        try
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(system.Redis!.Host);
            return new PaymentSystem(system, Path.Combine(system.DataDirectory, "payment.db"), Path.Combine(system.DataDirectory, "ordering.db"), redis);
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PaymentSystemCollection : ICollectionFixture<PaymentSystems>
{
    public const string Name = "payment-system";
}
