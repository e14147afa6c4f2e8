using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.State;
using Microsoft.Extensions.DependencyInjection;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>
/// keyPrefix strategies (§0): each store reads back its own writes through the API, the same API key in differently
/// prefixed stores is a different stored key, and the engine holds it under daprd's stored key.
/// </summary>
public abstract class StateKeyPrefixConformance(SidecarFixture fixture)
{
    private readonly DaprClient _client = fixture.Client;

    public static TheoryData<string, string> StoredKeyFormats => new()
    {
        { ComponentFiles.StateStore, "conformance||{0}" },
        { PrefixStores.None, "{0}" },
        { PrefixStores.Name, "prefix-name||{0}" },
        { PrefixStores.Custom, "myprefix||{0}" },
        { PrefixStores.Namespace, "ns1.conformance||{0}" },
    };

    [Theory]
    [MemberData(nameof(StoredKeyFormats))]
    public async Task Each_prefix_strategy_reads_back_through_the_api_and_stores_under_daprs_key(string store, string format)
    {
        var key = SidecarFixture.NewKey("-prefix");
        await _client.SaveStateAsync(store, key, store);
        (await _client.GetStateAsync<string>(store, key)).Should().Be(store);

        var engine = await fixture.Sidecar!.Services.GetRequiredService<StateStoreRegistry>().Get(store).EngineAsync();
        var stored = await engine.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, key));
        stored.Should().NotBeNull();
        System.Text.Encoding.UTF8.GetString(stored!.Data).Should().Be($"\"{store}\"");
    }

    [Fact]
    public async Task The_same_key_in_differently_prefixed_stores_holds_separate_values()
    {
        var key = SidecarFixture.NewKey("-isolated");
        string[] stores = [ComponentFiles.StateStore, PrefixStores.None, PrefixStores.Name, PrefixStores.Custom];
        foreach (var store in stores)
            await _client.SaveStateAsync(store, key, store);
        foreach (var store in stores)
            (await _client.GetStateAsync<string>(store, key)).Should().Be(store);
    }

    [Fact]
    public async Task Illegal_key_is_refused_on_every_store_over_grpc_too()
    {
        var status = await StateAssertions.ThrowsDaprStatusAsync(() => _client.SaveStateAsync(PrefixStores.None, "a||b", 1));
        status.Should().Be(Grpc.Core.StatusCode.InvalidArgument);
    }
}

public sealed class StateKeyPrefixOnRedis(StateRedisFixture fixture) : StateKeyPrefixConformance(fixture), IClassFixture<StateRedisFixture>;

public sealed class StateKeyPrefixOnMemory(StateMemoryFixture fixture) : StateKeyPrefixConformance(fixture), IClassFixture<StateMemoryFixture>;
