using System.Text;
using Dapr.Client;
using Grpc.Core;
using LocalSidecar.Conformance.Tests.Infrastructure;
using static LocalSidecar.Conformance.Tests.State.StateAssertions;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>contrib's transaction cases through ExecuteStateTransactionAsync, and Redis' MULTI/EXEC without rollback.</summary>
public abstract class StateTransactionConformance(SidecarFixture fixture)
{
    private readonly DaprClient _client = fixture.Client;
    private readonly string _store = fixture.StateStore;
    private static readonly Dictionary<string, string> PartitionKey = new() { ["partitionKey"] = "myPartition" };

    private static byte[] Json(string value) => Encoding.UTF8.GetBytes($"\"{value}\"");

    private static StateTransactionRequest Upsert(string key, string value, string? etag = null, StateOptions? options = null) =>
        new(key, Json(value), StateOperationType.Upsert, etag, options: options);

    private static StateTransactionRequest Delete(string key, string? etag = null) => new(key, null, StateOperationType.Delete, etag);

    private async Task<string?> ValueOf(string key) => await _client.GetStateAsync<string>(_store, key);

    [Fact]
    public async Task Transaction_groups_apply_sets_and_delete_the_previous_groups_keys()
    {
        List<string> previousDeletable = [];
        for (var group = 1; group <= 4; group++)
        {
            var sets = Enumerable.Range(0, 3).Select(i => SidecarFixture.NewKey($"-trx-{group}-{i}")).ToList();
            var deletable = SidecarFixture.NewKey($"-trx-{group}-to-be-deleted");
            var operations = sets.Select(k => Upsert(k, k)).Append(Upsert(deletable, "to be deleted"))
                .Concat(previousDeletable.Select(k => Delete(k))).ToList();

            await _client.ExecuteStateTransactionAsync(_store, operations, PartitionKey);

            foreach (var key in sets)
                (await ValueOf(key)).Should().Be(key);
            (await ValueOf(deletable)).Should().Be("to be deleted");
            foreach (var key in previousDeletable)
                (await ValueOf(key)).Should().BeNull();
            previousDeletable = [deletable];
        }
    }

    [Fact]
    public async Task Transaction_deleting_a_non_existent_key_succeeds()
    {
        await _client.ExecuteStateTransactionAsync(_store, [Delete("non-existent-key")]);
    }

    [Fact]
    public async Task Transaction_applies_operations_in_order()
    {
        var (key1, key2, key3) = (SidecarFixture.NewKey("-order-1"), SidecarFixture.NewKey("-order-2"), SidecarFixture.NewKey("-order-3"));
        await _client.SaveStateAsync(_store, key1, "value1");

        await _client.ExecuteStateTransactionAsync(_store,
            [Delete(key1), Upsert(key2, "value2"), Delete(key2), Upsert(key3, "value3")]);

        (await ValueOf(key1)).Should().BeNull();
        (await ValueOf(key2)).Should().BeNull();
        (await ValueOf(key3)).Should().Be("value3");
        Encoding.UTF8.GetString((await _client.GetByteStateAsync(_store, key3)).Span).Should().Be("\"value3\"");
    }

    [Fact]
    public async Task Stale_etag_fails_the_transaction_as_internal_but_the_other_operations_stay_applied()
    {
        var (stale, other, deleted) = (SidecarFixture.NewKey("-partial-stale"), SidecarFixture.NewKey("-partial-other"), SidecarFixture.NewKey("-partial-del"));
        await _client.SaveStateAsync(_store, stale, "original");
        await _client.SaveStateAsync(_store, deleted, "doomed");

        var status = await ThrowsDaprStatusAsync(() => _client.ExecuteStateTransactionAsync(_store,
            [Upsert(other, "written"), Upsert(stale, "never", etag: "9999999"), Delete(deleted)]));

        // Redis has no rollback: daprd reports the failure although the rest was committed.
        status.Should().Be(StatusCode.Internal);
        (await ValueOf(stale)).Should().Be("original");
        (await ValueOf(other)).Should().Be("written");
        (await ValueOf(deleted)).Should().BeNull();
    }

    [Fact]
    public async Task Invalid_etag_fails_the_transaction_before_anything_is_written()
    {
        var written = SidecarFixture.NewKey("-trx-invalid");
        var status = await ThrowsDaprStatusAsync(() => _client.ExecuteStateTransactionAsync(_store,
            [Upsert(written, "never"), Upsert(SidecarFixture.NewKey(), "x", etag: "not-a-number")]));

        status.Should().Be(StatusCode.Internal);
        (await ValueOf(written)).Should().BeNull();
    }

    [Fact]
    public async Task First_write_inside_a_transaction_leaves_no_marker()
    {
        var key = SidecarFixture.NewKey("-trx-fw");
        var firstWrite = new StateOptions { Concurrency = ConcurrencyMode.FirstWrite };
        await _client.ExecuteStateTransactionAsync(_store, [Upsert(key, "one", options: firstWrite)]);
        await _client.ExecuteStateTransactionAsync(_store, [Upsert(key, "two", options: firstWrite)]);

        await _client.SaveStateAsync(_store, key, "three");
        (await _client.GetStateAndETagAsync<string>(_store, key)).Should().Be(("three", "3"));
    }

    [Fact]
    public async Task Transaction_upsert_with_the_current_etag_succeeds()
    {
        var key = SidecarFixture.NewKey("-trx-etag");
        await _client.SaveStateAsync(_store, key, "v1");
        await _client.ExecuteStateTransactionAsync(_store, [Upsert(key, "v2", etag: "1")]);
        (await _client.GetStateAndETagAsync<string>(_store, key)).Should().Be(("v2", "2"));
    }
}

public sealed class StateTransactionOnRedis(StateRedisFixture fixture) : StateTransactionConformance(fixture), IClassFixture<StateRedisFixture>;

public sealed class StateTransactionOnMemory(StateMemoryFixture fixture) : StateTransactionConformance(fixture), IClassFixture<StateMemoryFixture>;
