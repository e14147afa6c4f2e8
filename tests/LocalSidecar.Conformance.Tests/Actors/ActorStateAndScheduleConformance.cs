using Dapr.Actors;
using Dapr.Actors.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using StackExchange.Redis;

namespace LocalSidecar.Conformance.Tests.Actors;

/// <summary>Actor state, reminders and timers, through the SDK app and through plain HTTP.</summary>
public abstract class ActorStateAndScheduleConformance(ActorsFixture fixture)
{
    private TProxy Proxy<TProxy>(string type, string id) where TProxy : IActor =>
        ActorProxy.Create<TProxy>(new ActorId(id), type, new ActorProxyOptions { HttpEndpoint = fixture.HttpEndpoint });

    private static string NewId() => SidecarFixture.NewKey();

    /// <summary>Activates a RawActor on its sidecar (state transactions and timers need an active actor).</summary>
    private async Task<string> ActiveRawActorAsync()
    {
        var id = NewId();
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{id}/method/slow", null);
        ((int)response.StatusCode).Should().Be(200);
        return id;
    }

    [Fact]
    public async Task State_written_by_one_call_is_read_by_the_next()
    {
        var counter = Proxy<ICounterActor>(nameof(CounterActor), NewId());

        await counter.IncrementAsync(2);
        await counter.IncrementAsync(5);

        (await counter.GetCountAsync()).Should().Be(7);
    }

    [Fact]
    public async Task Idle_actor_is_deactivated_and_its_state_survives_reactivation()
    {
        var id = NewId();
        var counter = Proxy<ICounterActor>(nameof(IdleCounterActor), id);
        await counter.IncrementAsync(4);

        (await fixture.SdkEvents.WaitForAsync("deactivate", id)).Should().ContainSingle("the 1 s idle timeout passed");

        (await counter.IncrementAsync(1)).Should().Be(5);
    }

    [Fact]
    public async Task Raw_state_get_is_204_when_missing_and_200_with_compact_json_after_a_save()
    {
        var id = await ActiveRawActorAsync();
        var url = $"v1.0/actors/{RawActorApp.Type}/{id}/state";

        using var missing = await fixture.RawHttp.GetAsync($"{url}/profile");
        ((int)missing.StatusCode).Should().Be(204);

        using var saved = await fixture.RawHttp.PutAsync(url, RawActorApp.Json("""
            [{"operation":"upsert","request":{"key":"profile","value":{ "name" : "Ada", "score" : 1.23456789 }}},
             {"operation":"delete","request":{"key":"other"}}]
            """));
        ((int)saved.StatusCode).Should().Be(204);

        using var found = await fixture.RawHttp.GetAsync($"{url}/profile");
        ((int)found.StatusCode).Should().Be(200);
        found.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await found.Content.ReadAsStringAsync()).Should().Be("""{"name":"Ada","score":1.234568}""");
    }

    [Fact]
    public async Task State_transaction_for_an_actor_not_active_here_is_ERR_ACTOR_INSTANCE_MISSING()
    {
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/state",
            RawActorApp.Json("""[{"operation":"upsert","request":{"key":"k","value":1}}]"""));

        ((int)response.StatusCode).Should().Be(400);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ERR_ACTOR_INSTANCE_MISSING");
    }

    [Fact]
    public async Task Reminder_fires_each_period_until_unregistered()
    {
        var id = NewId();
        var actor = Proxy<IRemindedActor>(nameof(RemindedActor), id);
        await actor.StartReminderAsync("tick", 200);

        var firings = await fixture.SdkEvents.WaitForAsync("remind", id, count: 2);
        firings.Should().HaveCountGreaterThanOrEqualTo(2);
        firings.Should().AllSatisfy(f => f.Should().Match<ActorAppEvent>(e => e.Name == "tick" && e.Body == "rem-state"));

        await actor.StopReminderAsync("tick");
        using var gone = await fixture.Http.GetAsync($"v1.0/actors/{nameof(RemindedActor)}/{id}/reminders/tick");
        ((int)gone.StatusCode).Should().Be(500, "an unregistered reminder no longer exists");
        var afterStop = fixture.SdkEvents.Of("remind", id).Count;
        await Task.Delay(600); // three periods: an absence can only be observed by waiting
        fixture.SdkEvents.Of("remind", id).Count.Should().BeLessThanOrEqualTo(afterStop + 1, "at most a firing already under way completes");
    }

    [Fact]
    public async Task Reminder_get_returns_what_was_registered()
    {
        var id = NewId();
        var url = $"v1.0/actors/{RawActorApp.Type}/{id}/reminders/later";
        using var created = await fixture.RawHttp.PutAsync(url, RawActorApp.Json("""{"dueTime":"1h","period":"0h0m30s0ms","data":{"x":1}}"""));
        ((int)created.StatusCode).Should().Be(204);

        var reminder = RawActorApp.Parse(await fixture.RawHttp.GetStringAsync(url));
        reminder.GetProperty("actorID").GetString().Should().Be(id);
        reminder.GetProperty("actorType").GetString().Should().Be(RawActorApp.Type);
        reminder.GetProperty("dueTime").GetString().Should().Be("1h");
        reminder.GetProperty("period").GetString().Should().Be("0h0m30s0ms");
        reminder.GetProperty("data").GetRawText().Should().Be("""{"x":1}""");

        using var deleted = await fixture.RawHttp.DeleteAsync(url);
        ((int)deleted.StatusCode).Should().Be(204);
    }

    [Fact]
    public async Task Reminder_with_repetitions_fires_that_many_times_with_daprds_body()
    {
        var id = NewId();
        using var created = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{id}/reminders/thrice",
            RawActorApp.Json("""{"dueTime":"PT0.1S","period":"R3/PT0.1S","data":"payload"}"""));
        ((int)created.StatusCode).Should().Be(204);

        var firings = await fixture.Raw.Events.WaitForAsync("remind", id, count: 3);
        firings.Should().HaveCount(3);
        var body = RawActorApp.Parse(firings[0].Body);
        body.GetProperty("data").GetString().Should().Be("payload");
        body.GetProperty("dueTime").GetString().Should().Be("PT0.1S");
        body.GetProperty("period").GetString().Should().Be("R3/PT0.1S");
    }

    [Fact]
    public async Task Reminder_due_at_an_RFC3339_instant_fires_once()
    {
        var id = NewId();
        var due = DateTimeOffset.UtcNow.AddMilliseconds(300).ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture);
        using var created = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{id}/reminders/at",
            RawActorApp.Json($$"""{"dueTime":"{{due}}"}"""));
        ((int)created.StatusCode).Should().Be(204);

        var firing = (await fixture.Raw.Events.WaitForAsync("remind", id)).Should().ContainSingle().Subject;
        RawActorApp.Parse(firing.Body).GetProperty("dueTime").GetString().Should().Be(due);
    }

    [Fact]
    public async Task Reminder_cancel_header_from_the_app_stops_the_reminder()
    {
        var id = NewId();
        var url = $"v1.0/actors/{RawActorApp.Type}/{id}/reminders/cancel-me";
        using var created = await fixture.RawHttp.PutAsync(url, RawActorApp.Json("""{"dueTime":"0s","period":"100ms"}"""));
        ((int)created.StatusCode).Should().Be(204);

        (await fixture.Raw.Events.WaitForAsync("remind", id)).Should().NotBeEmpty();

        var deadline = DateTime.UtcNow.AddSeconds(5);
        int status;
        do
        {
            using var get = await fixture.RawHttp.GetAsync(url);
            status = (int)get.StatusCode;
            if (status != 200)
                break;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);

        status.Should().Be(500, "the reminder was removed after the app answered X-DaprReminderCancel: true");
        fixture.Raw.Events.Of("remind", id).Should().ContainSingle();
    }

    [Fact]
    public async Task Timer_fires_with_callback_data_and_schedule_in_the_body()
    {
        var id = await ActiveRawActorAsync();
        using var created = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{id}/timers/once",
            RawActorApp.Json("""{"dueTime":"100ms","callback":"OnTick","data":"aGVsbG8="}"""));
        ((int)created.StatusCode).Should().Be(204);

        var firing = (await fixture.Raw.Events.WaitForAsync("timer", id)).Should().ContainSingle().Subject;
        firing.Name.Should().Be("once");
        firing.Body.Should().Be("""{"callback":"OnTick","data":"aGVsbG8=","dueTime":"100ms","period":""}""");
    }

    [Fact]
    public async Task Timer_for_an_inactive_actor_is_refused()
    {
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/timers/t",
            RawActorApp.Json("""{"dueTime":"1s"}"""));

        ((int)response.StatusCode).Should().Be(500);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ERR_ACTOR_TIMER_CREATE");
    }
}

public sealed class ActorStateAndScheduleOnRedis(RedisActorsFixture fixture) : ActorStateAndScheduleConformance(fixture), IClassFixture<RedisActorsFixture>;

public sealed class ActorStateAndScheduleOnMemory(MemoryActorsFixture fixture) : ActorStateAndScheduleConformance(fixture), IClassFixture<MemoryActorsFixture>;

/// <summary>Redis only: it inspects the keys daprd writes, which only exist on a real Redis server.</summary>
public sealed class ActorStateLayoutOnRedis(RedisActorsFixture fixture) : IClassFixture<RedisActorsFixture>
{
    [Fact]
    public async Task Actor_state_is_stored_under_appId_type_id_key()
    {
        var id = SidecarFixture.NewKey();
        var counter = ActorProxy.Create<ICounterActor>(new ActorId(id), nameof(CounterActor), new ActorProxyOptions { HttpEndpoint = fixture.HttpEndpoint });
        await counter.IncrementAsync(9);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis!.Host);
        var stored = await redis.GetDatabase().HashGetAsync($"{fixture.AppId}||{nameof(CounterActor)}||{id}||count", "data");
        stored.ToString().Should().Be("9");
    }
}
