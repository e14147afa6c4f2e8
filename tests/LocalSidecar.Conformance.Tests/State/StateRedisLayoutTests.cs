using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using StackExchange.Redis;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>
/// Redis only, because it inspects the server itself: the hash layout contrib's state.redis leaves behind
/// (data / version / first-write), the prefixed keys, and contrib's fallbacks for keys of other types.
/// </summary>
public sealed class StateRedisLayoutTests(StateRedisFixture fixture) : IClassFixture<StateRedisFixture>, IAsyncLifetime
{
    private readonly DaprClient _client = fixture.Client;
    private ConnectionMultiplexer _redis = null!;
    private IDatabase Db => _redis.GetDatabase();

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis!.Host);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private async Task<Dictionary<string, string>> HashAsync(string key) =>
        (await Db.HashGetAllAsync(key)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);

    [Fact]
    public async Task Value_is_a_hash_with_data_and_version_under_the_app_id_prefix()
    {
        var key = SidecarFixture.NewKey();
        await _client.SaveStateAsync(fixture.StateStore, key, "v");
        await _client.SaveStateAsync(fixture.StateStore, key, "w");

        (await HashAsync($"conformance||{key}")).Should().BeEquivalentTo(new Dictionary<string, string> { ["data"] = "\"w\"", ["version"] = "2" });
    }

    [Fact]
    public async Task First_write_save_adds_the_first_write_marker_field()
    {
        var key = SidecarFixture.NewKey();
        await _client.SaveStateAsync(fixture.StateStore, key, "v", new StateOptions { Concurrency = ConcurrencyMode.FirstWrite });
        (await HashAsync($"conformance||{key}")).Should().Contain("first-write", "0");
    }

    [Theory]
    [InlineData(PrefixStores.None, "{0}")]
    [InlineData(PrefixStores.Name, "prefix-name||{0}")]
    [InlineData(PrefixStores.Custom, "myprefix||{0}")]
    [InlineData(PrefixStores.Namespace, "ns1.conformance||{0}")]
    public async Task Prefixed_stores_write_daprs_raw_key(string store, string format)
    {
        var key = SidecarFixture.NewKey();
        await _client.SaveStateAsync(store, key, 1);
        var hash = await HashAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, key));
        hash["data"].Should().Be("1");
        hash["version"].Should().Be("1");
    }

    [Fact]
    public async Task Ttl_becomes_a_redis_expire_and_a_negative_ttl_persists()
    {
        var key = SidecarFixture.NewKey();
        await _client.SaveStateAsync(fixture.StateStore, key, 1, metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "100" });
        (await Db.KeyTimeToLiveAsync($"conformance||{key}")).Should().BeGreaterThan(TimeSpan.FromSeconds(90));

        await _client.SaveStateAsync(fixture.StateStore, key, 2, metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "-1" });
        (await Db.KeyTimeToLiveAsync($"conformance||{key}")).Should().BeNull();
    }

    [Fact]
    public async Task Legacy_plain_string_is_read_with_no_etag()
    {
        var key = SidecarFixture.NewKey();
        await Db.StringSetAsync($"conformance||{key}", "\"legacy\"");
        (await _client.GetStateAndETagAsync<string>(fixture.StateStore, key)).Should().Be(("legacy", ""));
    }

    [Fact]
    public async Task Key_of_another_redis_type_is_replaced_on_save()
    {
        var key = SidecarFixture.NewKey();
        await Db.ListLeftPushAsync($"conformance||{key}", "x");
        await _client.SaveStateAsync(fixture.StateStore, key, "replaced");
        (await _client.GetStateAndETagAsync<string>(fixture.StateStore, key)).Should().Be(("replaced", "1"));
    }
}
