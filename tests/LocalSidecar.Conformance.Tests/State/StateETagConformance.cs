using Dapr.Client;
using Grpc.Core;
using LocalSidecar.Conformance.Tests.Infrastructure;
using static LocalSidecar.Conformance.Tests.State.StateAssertions;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>
/// contrib's etag and first-write cases (badEtag "9999999", a mismatch not an invalid etag), plus the Redis decision
/// table rows (§1.4/§1.5) as the SDK observes them: mismatch = Aborted (Try* returns false), invalid = InvalidArgument.
/// </summary>
public abstract class StateETagConformance(SidecarFixture fixture)
{
    private const string BadEtag = "9999999";
    private readonly DaprClient _client = fixture.Client;
    private readonly string _store = fixture.StateStore;

    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong };

    private async Task<List<string>> BulkSetAsync(int count, string value = "first-value")
    {
        var keys = Enumerable.Range(0, count).Select(i => SidecarFixture.NewKey($"-etag-{i}")).ToList();
        await _client.SaveBulkStateAsync(_store, keys.Select(k => new SaveStateItem<string>(k, value, null!)).ToList());
        return keys;
    }

    private async Task<string> ETagOf(string key) => (await _client.GetStateAndETagAsync<string>(_store, key)).etag;

    [Fact]
    public async Task Etag_1_bulk_set_without_etag_gives_every_key_an_etag()
    {
        var keys = await BulkSetAsync(4);
        foreach (var key in keys)
        {
            var (value, etag) = await _client.GetStateAndETagAsync<string>(_store, key);
            value.Should().Be("first-value");
            etag.Should().NotBeEmpty();
        }

        (await _client.GetBulkStateAsync(_store, keys, null)).Should().AllSatisfy(i => i.ETag.Should().NotBeEmpty());
    }

    [Fact]
    public async Task Etag_2_bad_etag_is_a_mismatch_and_the_right_one_writes_and_changes_it()
    {
        var key = (await BulkSetAsync(1))[0];
        var etag = await ETagOf(key);

        (await _client.TrySaveStateAsync(_store, key, "second", BadEtag)).Should().BeFalse();
        (await _client.TrySaveStateAsync(_store, key, "second", etag)).Should().BeTrue();

        var (value, newEtag) = await _client.GetStateAndETagAsync<string>(_store, key);
        value.Should().Be("second");
        newEtag.Should().NotBe(etag);
    }

    [Fact]
    public async Task Etag_3_bulk_set_with_one_bad_etag_fails_that_item_only()
    {
        var keys = await BulkSetAsync(2);
        var (etag1, etag2) = (await ETagOf(keys[0]), await ETagOf(keys[1]));

        var status = await ThrowsDaprStatusAsync(() => _client.SaveBulkStateAsync(_store,
        [
            new SaveStateItem<string>(keys[0], "changed", BadEtag),
            new SaveStateItem<string>(keys[1], "changed", etag2),
        ]));

        status.Should().Be(StatusCode.Aborted);
        (await ETagOf(keys[0])).Should().Be(etag1);
        (await _client.GetStateAndETagAsync<string>(_store, keys[1])).Should().Be(("changed", (long.Parse(etag2) + 1).ToString()));
    }

    [Fact]
    public async Task Etag_4_bulk_set_with_good_etags_succeeds()
    {
        var keys = await BulkSetAsync(2);
        await _client.SaveBulkStateAsync(_store, [
            new SaveStateItem<string>(keys[0], "again", await ETagOf(keys[0])),
            new SaveStateItem<string>(keys[1], "again", await ETagOf(keys[1])),
        ]);
        (await _client.GetStateAsync<string>(_store, keys[1])).Should().Be("again");
    }

    [Fact]
    public async Task Etag_5_delete_with_bad_etag_fails_and_with_the_good_one_removes_the_key()
    {
        var key = (await BulkSetAsync(1))[0];
        (await _client.TryDeleteStateAsync(_store, key, BadEtag)).Should().BeFalse();
        (await _client.TryDeleteStateAsync(_store, key, await ETagOf(key))).Should().BeTrue();

        var (value, etag) = await _client.GetStateAndETagAsync<string>(_store, key);
        value.Should().BeNull();
        etag.Should().BeEmpty();
    }

    [Fact]
    public async Task Etag_6_bulk_delete_with_one_bad_etag_deletes_the_other()
    {
        var keys = await BulkSetAsync(2);
        var (etag1, etag2) = (await ETagOf(keys[0]), await ETagOf(keys[1]));

        var status = await ThrowsDaprStatusAsync(() => _client.DeleteBulkStateAsync(_store,
        [
            new BulkDeleteStateItem(keys[0], etag1),
            new BulkDeleteStateItem(keys[1], BadEtag),
        ]));

        status.Should().Be(StatusCode.Aborted);
        (await ETagOf(keys[0])).Should().BeEmpty();
        (await ETagOf(keys[1])).Should().Be(etag2);
    }

    [Fact]
    public async Task Etag_7_bulk_delete_with_good_etags_leaves_empty_bulk_get_items()
    {
        var keys = await BulkSetAsync(2);
        await _client.DeleteBulkStateAsync(_store, [
            new BulkDeleteStateItem(keys[0], await ETagOf(keys[0])),
            new BulkDeleteStateItem(keys[1], await ETagOf(keys[1])),
        ]);

        var items = await _client.GetBulkStateAsync(_store, keys, null);
        items.Select(i => i.Key).Should().Equal(keys);
        items.Should().AllSatisfy(i => (i.Value + i.ETag).Should().BeEmpty());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task First_write_without_etag_succeeds_once_then_refuses_a_second_write(string? etag)
    {
        var key = SidecarFixture.NewKey("-first-write");
        await _client.DeleteStateAsync(_store, key);
        await _client.SaveBulkStateAsync(_store, [new SaveStateItem<string>(key, "first", etag!, FirstWrite)]);
        (await _client.GetStateAsync<string>(_store, key)).Should().Be("first");

        // Redis refuses it only because the first write left the first-write marker: a non-etag failure, Internal.
        var status = await ThrowsDaprStatusAsync(() => _client.SaveStateAsync(_store, key, "second", FirstWrite));
        status.Should().Be(StatusCode.Internal);
    }

    [Fact]
    public async Task First_write_with_etag_writes_once_then_refuses_the_stale_etag()
    {
        var key = SidecarFixture.NewKey("-first-write-etag");
        await _client.SaveStateAsync(_store, key, "plain");
        var etag = await ETagOf(key);

        (await _client.TrySaveStateAsync(_store, key, "first", etag, FirstWrite)).Should().BeTrue();
        (await ETagOf(key)).Should().NotBe(etag);
        (await _client.TrySaveStateAsync(_store, key, "again", etag, FirstWrite)).Should().BeFalse();
    }

    [Fact]
    public async Task First_write_without_etag_overwrites_a_key_never_written_with_first_write()
    {
        var key = SidecarFixture.NewKey("-fw-overwrite");
        await _client.SaveStateAsync(_store, key, "plain");
        await _client.SaveStateAsync(_store, key, "first-write", FirstWrite);
        (await _client.GetStateAndETagAsync<string>(_store, key)).Should().Be(("first-write", "2"));
    }

    [Fact]
    public async Task First_write_marker_also_refuses_last_write_without_etag_until_deleted()
    {
        var key = SidecarFixture.NewKey("-fw-marker");
        await _client.SaveStateAsync(_store, key, "first", FirstWrite);
        var lastWrite = new StateOptions { Concurrency = ConcurrencyMode.LastWrite };

        (await ThrowsDaprStatusAsync(() => _client.SaveStateAsync(_store, key, "x", lastWrite))).Should().Be(StatusCode.Internal);
        // With an etag the same refusal is reported as a mismatch, because the request carried one.
        (await _client.TrySaveStateAsync(_store, key, "x", "1", lastWrite)).Should().BeFalse();

        await _client.DeleteStateAsync(_store, key);
        await _client.SaveStateAsync(_store, key, "after delete", lastWrite);
        (await _client.GetStateAndETagAsync<string>(_store, key)).Should().Be(("after delete", "1"));
    }

    [Fact]
    public async Task Etag_on_a_missing_key_inserts_like_redis()
    {
        var key = SidecarFixture.NewKey("-etag-missing");
        (await _client.TrySaveStateAsync(_store, key, "inserted", "5")).Should().BeTrue();
        (await _client.GetStateAndETagAsync<string>(_store, key)).Should().Be(("inserted", "1"));
    }

    [Fact]
    public async Task Non_numeric_etag_is_invalid_argument_even_for_a_missing_key()
    {
        var status = await ThrowsDaprStatusAsync(() => _client.TrySaveStateAsync(_store, SidecarFixture.NewKey("-etag-invalid"), "v", "abc"));
        status.Should().Be(StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Versions_count_up_from_one_and_restart_after_delete()
    {
        var key = SidecarFixture.NewKey("-aba");
        await _client.SaveStateAsync(_store, key, "a");
        await _client.SaveStateAsync(_store, key, "b");
        (await ETagOf(key)).Should().Be("2");

        await _client.DeleteStateAsync(_store, key);
        await _client.SaveStateAsync(_store, key, "c");
        (await ETagOf(key)).Should().Be("1");
    }

    [Fact]
    public async Task Delete_with_an_etag_of_a_missing_key_succeeds()
    {
        (await _client.TryDeleteStateAsync(_store, SidecarFixture.NewKey("-del-missing"), "3")).Should().BeTrue();
    }
}

public sealed class StateETagOnRedis(StateRedisFixture fixture) : StateETagConformance(fixture), IClassFixture<StateRedisFixture>;

public sealed class StateETagOnMemory(StateMemoryFixture fixture) : StateETagConformance(fixture), IClassFixture<StateMemoryFixture>;
