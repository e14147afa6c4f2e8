using System.Text;
using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using static LocalSidecar.Conformance.Tests.State.StateAssertions;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>contrib:tests/conformance/state set / get / delete / bulk cases, through the official DaprClient (gRPC).</summary>
public abstract class StateCrudConformance(SidecarFixture fixture)
{
    private readonly DaprClient _client = fixture.Client;
    private readonly string _store = fixture.StateStore;

    public sealed record Message(string Text);

    public static TheoryData<string, object> ScenarioValues => new()
    {
        { "-int", 123 },
        { "-bool", true },
        { "-string-with-json", """{"a":"b"}""" },
        { "-string", "hello world" },
        { "-empty-string", "" },
        { "-struct", new Message("test") },
    };

    [Theory]
    [MemberData(nameof(ScenarioValues))]
    public async Task Set_then_get_returns_an_equal_value(string suffix, object value)
    {
        var key = SidecarFixture.NewKey(suffix);
        await _client.SaveStateAsync(_store, key, value);

        var raw = await _client.GetByteStateAsync(_store, key);
        // gRPC stores the SDK's JSON bytes raw: a string comes back as a JSON string, quotes included.
        Encoding.UTF8.GetString(raw.Span).Should().Be(System.Text.Json.JsonSerializer.Serialize(value, value.GetType(), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
    }

    [Fact]
    public async Task Set_then_get_of_raw_bytes_is_byte_exact()
    {
        var key = SidecarFixture.NewKey("-bytes");
        await _client.SaveByteStateAsync(_store, key, new byte[] { 0x1 });
        (await _client.GetByteStateAsync(_store, key)).ToArray().Should().Equal(0x1);
    }

    [Fact]
    public async Task Struct_round_trips_through_the_sdk_serializer()
    {
        var key = SidecarFixture.NewKey("-struct-2");
        await _client.SaveStateAsync(_store, key, new Message("hi"));
        (await _client.GetStateAsync<Message>(_store, key)).Should().Be(new Message("hi"));
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_empty_with_an_empty_etag()
    {
        var (value, etag) = await _client.GetStateAndETagAsync<string>(_store, SidecarFixture.NewKey("-missing"));
        value.Should().BeNull();
        etag.Should().BeEmpty();
    }

    [Fact]
    public async Task Delete_removes_set_keys_and_accepts_keys_never_set()
    {
        var key = SidecarFixture.NewKey("-to-be-deleted");
        var neverSet = SidecarFixture.NewKey("-never-set");
        await _client.SaveStateAsync(_store, key, "to be deleted");

        await _client.DeleteStateAsync(_store, key);
        await _client.DeleteStateAsync(_store, neverSet);

        (await _client.GetByteStateAsync(_store, key)).Length.Should().Be(0);
        (await _client.GetByteStateAsync(_store, neverSet)).Length.Should().Be(0);
    }

    [Fact]
    public async Task Bulk_set_then_get_returns_each_value()
    {
        var keys = new[] { SidecarFixture.NewKey("-bulk-int"), SidecarFixture.NewKey("-bulk-string"), SidecarFixture.NewKey("-bulk-struct") };
        await _client.SaveBulkStateAsync<object>(_store,
        [
            new SaveStateItem<object>(keys[0], 123, null!),
            new SaveStateItem<object>(keys[1], "hello world", null!),
            new SaveStateItem<object>(keys[2], new Message("bulk"), null!),
        ]);

        (await _client.GetStateAsync<int>(_store, keys[0])).Should().Be(123);
        (await _client.GetStateAsync<string>(_store, keys[1])).Should().Be("hello world");
        (await _client.GetStateAsync<Message>(_store, keys[2])).Should().Be(new Message("bulk"));
    }

    [Fact]
    public async Task Bulk_get_returns_every_requested_key_in_order_with_data_and_etag()
    {
        var keys = Enumerable.Range(0, 4).Select(i => SidecarFixture.NewKey($"-bulk-{i}")).ToList();
        foreach (var key in keys)
            await _client.SaveStateAsync(_store, key, key);

        var items = await _client.GetBulkStateAsync(_store, keys, parallelism: 2);

        items.Select(i => i.Key).Should().Equal(keys);
        items.Should().AllSatisfy(i => i.ETag.Should().Be("1"));
        items.Select(i => i.Value).Should().Equal(keys.Select(k => $"\"{k}\""));
    }

    [Fact]
    public async Task Bulk_get_includes_a_non_existent_key_with_empty_data_and_no_error()
    {
        var existing = SidecarFixture.NewKey("-bulk-exists");
        await _client.SaveStateAsync(_store, existing, 1);

        var items = await _client.GetBulkStateAsync(_store, [existing, "doesnotexist"], parallelism: null);

        items.Should().HaveCount(2);
        items[1].Key.Should().Be("doesnotexist");
        items[1].Value.Should().BeEmpty();
        items[1].ETag.Should().BeEmpty();
    }

    [Fact]
    public async Task Bulk_delete_removes_every_key()
    {
        var keys = new[] { SidecarFixture.NewKey("-bulk-del-1"), SidecarFixture.NewKey("-bulk-del-2") };
        foreach (var key in keys)
            await _client.SaveStateAsync(_store, key, "x");

        await _client.DeleteBulkStateAsync(_store, keys.Select(k => new BulkDeleteStateItem(k, null!)).ToList());

        foreach (var key in keys)
            (await _client.GetByteStateAsync(_store, key)).Length.Should().Be(0);
    }

    [Fact]
    public async Task Unknown_store_is_invalid_argument()
    {
        var status = await ThrowsDaprStatusAsync(() => _client.GetStateAsync<string>("no-such-store", "k"));
        status.Should().Be(Grpc.Core.StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Json_content_type_metadata_makes_grpc_re_encode_the_value()
    {
        var key = SidecarFixture.NewKey("-json");
        await _client.SaveByteStateAsync(_store, key, Encoding.UTF8.GetBytes("{ \"a\" : [1, 2] }"),
            metadata: new Dictionary<string, string> { ["contentType"] = "application/json" });
        Encoding.UTF8.GetString((await _client.GetByteStateAsync(_store, key)).Span).Should().Be("""{"a":[1,2]}""");
    }

    [Fact]
    public async Task Bad_ttl_value_is_an_error()
    {
        var status = await ThrowsDaprStatusAsync(() => _client.SaveStateAsync(_store, SidecarFixture.NewKey("-ttl"), "v",
            metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "foo" }));
        status.Should().Be(Grpc.Core.StatusCode.Internal);
    }

    [Fact]
    public async Task Value_with_ttl_is_readable_then_expires()
    {
        var key = SidecarFixture.NewKey("-ttl");
        await _client.SaveStateAsync(_store, key, "expiring", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "2" });
        (await _client.GetStateAsync<string>(_store, key)).Should().Be("expiring");

        (await EventuallyAsync(async () => (await _client.GetByteStateAsync(_store, key)).Length == 0, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("a 2 s ttl has passed");
    }

    [Fact]
    public async Task Saving_again_without_ttl_keeps_the_existing_ttl()
    {
        var key = SidecarFixture.NewKey("-ttl-kept");
        await _client.SaveStateAsync(_store, key, "first", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });
        await _client.SaveStateAsync(_store, key, "second");

        (await EventuallyAsync(async () => (await _client.GetByteStateAsync(_store, key)).Length == 0, TimeSpan.FromSeconds(4)))
            .Should().BeTrue("HSET keeps the key's TTL; only ttlInSeconds <= 0 persists it");
    }

    [Fact]
    public async Task Negative_ttl_persists_the_value()
    {
        var key = SidecarFixture.NewKey("-no-ttl");
        await _client.SaveStateAsync(_store, key, "stays", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "-1" });
        (await _client.GetStateAsync<string>(_store, key)).Should().Be("stays");
    }
}

public sealed class StateCrudOnRedis(StateRedisFixture fixture) : StateCrudConformance(fixture), IClassFixture<StateRedisFixture>;

public sealed class StateCrudOnMemory(StateMemoryFixture fixture) : StateCrudConformance(fixture), IClassFixture<StateMemoryFixture>;
