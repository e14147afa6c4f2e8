#pragma warning disable DAPR_DISTRIBUTEDLOCK // the SDK marks the lock API experimental
using System.Net;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;

namespace LocalSidecar.Conformance.Tests.Lock;

/// <summary>
/// contrib:tests/conformance/lock cases through DaprClient.Lock/Unlock (gRPC), and daprd's alpha HTTP lock routes.
/// Unlock is always explicit: TryLockResponse.DisposeAsync builds its own client from DAPR_* environment variables.
/// </summary>
public abstract class LockConformance(SidecarFixture fixture)
{
    private const string Owner = "conftest";
    private readonly DaprClient _client = fixture.Client;
    private readonly string _store = fixture.LockStore;

    private static string NewResource() => SidecarFixture.NewKey("-lock");

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        fixture.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<string> ErrorCodeOf(HttpResponseMessage response, int status)
    {
        ((int)response.StatusCode).Should().Be(status);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorCode").GetString()!;
    }

    [Fact]
    public async Task Acquires_a_free_lock()
    {
        var response = await _client.Lock(_store, NewResource(), Owner, 15);
        response.Success.Should().BeTrue();
    }

    [Fact]
    public async Task Fails_to_acquire_an_existing_lock_even_for_the_same_owner()
    {
        var resource = NewResource();
        (await _client.Lock(_store, resource, Owner, 15)).Success.Should().BeTrue();
        (await _client.Lock(_store, resource, Owner, 15)).Success.Should().BeFalse();
    }

    [Fact]
    public async Task Unlock_of_a_nonexistent_resource_is_lock_does_not_exist()
    {
        (await _client.Unlock(_store, NewResource(), Owner)).status.Should().Be(LockStatus.LockDoesNotExist);
    }

    [Fact]
    public async Task Unlock_with_the_wrong_owner_is_lock_belongs_to_others()
    {
        var resource = NewResource();
        await _client.Lock(_store, resource, Owner, 15);
        (await _client.Unlock(_store, resource, "nonowner")).status.Should().Be(LockStatus.LockBelongsToOthers);
    }

    [Fact]
    public async Task Unlock_by_the_owner_succeeds_and_frees_the_lock()
    {
        var resource = NewResource();
        await _client.Lock(_store, resource, Owner, 15);
        (await _client.Unlock(_store, resource, Owner)).status.Should().Be(LockStatus.Success);
        (await _client.Lock(_store, resource, "someone-else", 15)).Success.Should().BeTrue();
    }

    [Fact]
    public async Task Lock_expires_and_can_then_be_acquired_again()
    {
        var resource = NewResource();
        (await _client.Lock(_store, resource, Owner, 2)).Success.Should().BeTrue();

        var reacquired = await State.StateAssertions.EventuallyAsync(
            async () => (await _client.Lock(_store, resource, "another", 2)).Success, TimeSpan.FromSeconds(5));
        reacquired.Should().BeTrue("a 2 s lock has expired");
    }

    [Fact]
    public async Task Unknown_lock_store_is_invalid_argument_over_grpc()
    {
        var thrown = await FluentActions.Awaiting(() => _client.Lock("no-such-lockstore", NewResource(), Owner, 5)).Should().ThrowAsync<Dapr.DaprException>();
        thrown.Which.InnerException.Should().BeOfType<Grpc.Core.RpcException>().Which.StatusCode.Should().Be(Grpc.Core.StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Http_lock_answers_success_true_then_an_explicit_false()
    {
        var body = $$"""{"resourceId":"{{NewResource()}}","lockOwner":"o","expiryInSeconds":30}""";
        using (var first = await PostAsync($"v1.0-alpha1/lock/{_store}", body))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
            (await first.Content.ReadAsStringAsync()).Should().Be("""{"success":true}""");
        }

        using var second = await PostAsync($"v1.0-alpha1/lock/{_store}", body);
        (await second.Content.ReadAsStringAsync()).Should().Be("""{"success":false}""");
    }

    [Fact]
    public async Task Http_unlock_answers_the_status_as_a_number()
    {
        var resource = NewResource();
        (await PostAsync($"v1.0-alpha1/lock/{_store}", $$"""{"resourceId":"{{resource}}","lockOwner":"o","expiryInSeconds":30}""")).Dispose();

        using (var wrongOwner = await PostAsync($"v1.0-alpha1/unlock/{_store}", $$"""{"resourceId":"{{resource}}","lockOwner":"x"}"""))
            (await wrongOwner.Content.ReadAsStringAsync()).Should().Be("""{"status":2}""");
        using (var unlocked = await PostAsync($"v1.0-alpha1/unlock/{_store}", $$"""{"resourceId":"{{resource}}","lockOwner":"o"}"""))
        {
            unlocked.StatusCode.Should().Be(HttpStatusCode.OK);
            (await unlocked.Content.ReadAsStringAsync()).Should().Be("""{"status":0}""");
        }

        using var missing = await PostAsync($"v1.0-alpha1/unlock/{_store}", $$"""{"resourceId":"{{resource}}","lockOwner":"o"}""");
        (await missing.Content.ReadAsStringAsync()).Should().Be("""{"status":1}""");
    }

    [Fact]
    public async Task Http_accepts_snake_case_field_names()
    {
        var resource = NewResource();
        using var locked = await PostAsync($"v1.0-alpha1/lock/{_store}", $$"""{"resource_id":"{{resource}}","lock_owner":"o","expiry_in_seconds":"30"}""");
        (await locked.Content.ReadAsStringAsync()).Should().Be("""{"success":true}""");
        (await _client.Unlock(_store, resource, "o")).status.Should().Be(LockStatus.Success);
    }

    [Theory]
    [InlineData("""{"resourceId":"r","lockOwner":"o","expiryInSeconds":0}""", "lockstore", 400, "ERR_MALFORMED_REQUEST")]
    [InlineData("""{"resourceId":"","lockOwner":"o","expiryInSeconds":5}""", "lockstore", 400, "ERR_MALFORMED_REQUEST")]
    [InlineData("""{"resourceId":"r","lockOwner":"","expiryInSeconds":5}""", "lockstore", 400, "ERR_MALFORMED_REQUEST")]
    [InlineData("""{"resourceId":"r","lockOwner":"o","expiryInSeconds":5}""", "no-such-lockstore", 400, "ERR_LOCK_STORE_NOT_FOUND")]
    [InlineData("""{"resourceId":"a||b","lockOwner":"o","expiryInSeconds":5}""", "lockstore", 500, "ERR_TRY_LOCK")]
    [InlineData("""not json""", "lockstore", 400, "ERR_MALFORMED_REQUEST")]
    public async Task Http_lock_validation_errors(string body, string store, int status, string errorCode)
    {
        using var response = await PostAsync($"v1.0-alpha1/lock/{store}", body);
        (await ErrorCodeOf(response, status)).Should().Be(errorCode);
    }

    [Fact]
    public async Task Http_unlock_of_an_unknown_store_is_400()
    {
        using var response = await PostAsync("v1.0-alpha1/unlock/no-such-lockstore", """{"resourceId":"r","lockOwner":"o"}""");
        (await ErrorCodeOf(response, 400)).Should().Be("ERR_LOCK_STORE_NOT_FOUND");
    }
}

public sealed class LockOnRedis(RedisSidecarFixture fixture) : LockConformance(fixture), IClassFixture<RedisSidecarFixture>;

public sealed class LockOnMemory(MemorySidecarFixture fixture) : LockConformance(fixture), IClassFixture<MemorySidecarFixture>;
