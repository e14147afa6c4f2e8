#pragma warning disable DAPR_DISTRIBUTEDLOCK // the SDK marks the lock API experimental
using LocalSidecar.Conformance.Tests.Infrastructure;
using StackExchange.Redis;

namespace LocalSidecar.Conformance.Tests.Lock;

/// <summary>Redis only, because it reads the server: daprd's lock key layout and contrib's SET NX EX string.</summary>
public sealed class LockRedisLayoutTests(RedisSidecarFixture fixture) : IClassFixture<RedisSidecarFixture>
{
    [Fact]
    public async Task Lock_is_a_string_holding_the_owner_under_lock_appid_resource_with_the_expiry()
    {
        var resource = SidecarFixture.NewKey("-layout");
        (await fixture.Client.Lock(fixture.LockStore, resource, "owner-1", 30)).Success.Should().BeTrue();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis!.Host);
        var db = redis.GetDatabase();
        var key = $"lock||{fixture.AppId}||{resource}";
        (await db.StringGetAsync(key)).ToString().Should().Be("owner-1");
        (await db.KeyTimeToLiveAsync(key)).Should().BeGreaterThan(TimeSpan.FromSeconds(20)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(30));

        await fixture.Client.Unlock(fixture.LockStore, resource, "owner-1");
        (await db.KeyExistsAsync(key)).Should().BeFalse();
    }
}
