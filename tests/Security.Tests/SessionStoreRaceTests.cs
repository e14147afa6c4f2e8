using System.Security.Claims;
using System.Xml.Linq;
using DaprReservations.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Web.SignIn;

namespace Security.Tests;

/// <summary>
/// web's sign-in sessions and its key ring in the Dapr state store, through a real sidecar over real Redis: a sign-out
/// stays signed out whatever renewals race it, concurrent renewals leave one valid ticket, and replicas adding keys at
/// once lose none.
/// </summary>
public sealed class SessionStoreRaceTests : IAsyncLifetime
{
    private DaprSystem _system = null!;

    public async Task InitializeAsync() =>
        _system = await DaprSystem.StartAsync(new DaprSystemOptions { Backend = SidecarBackend.Redis, Apps = [] });

    public async Task DisposeAsync() => await _system.DisposeAsync();

    private SessionStore Store() => new(_system.Dapr, new EphemeralDataProtectionProvider(), TimeProvider.System,
        Options.Create(new SignInOptions { ClientId = "web", ClientSecret = "s", ApiScope = "access_as_user" }));

    private static AuthenticationTicket Ticket(string subject, int generation) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject)], "test")),
        new AuthenticationProperties
        {
            ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1),
            Items = { ["generation"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        "Cookies");

    [Fact]
    public async Task A_renewal_read_before_the_sign_out_and_written_after_it_does_not_bring_the_session_back()
    {
        // One store for both (one replica): the ticket's protector key must be the same to read it back.
        var store = Store();
        var key = await store.StoreAsync(Ticket("alice", 0));
        var read = (await store.RetrieveAsync(key))!;

        await store.RemoveAsync(key);
        await store.RenewAsync(key, read);

        (await store.RetrieveAsync(key)).Should().BeNull("the sign-out happened after the renewal read the session");
    }

    [Fact]
    public async Task Many_renewals_racing_one_sign_out_never_leave_a_live_session()
    {
        var store = Store();
        for (var round = 0; round < 20; round++)
        {
            var key = await store.StoreAsync(Ticket("alice", 0));
            using var go = new Barrier(9);
            var renewals = Enumerable.Range(1, 8).Select(generation => Task.Run(async () =>
            {
                go.SignalAndWait();
                if (await store.RetrieveAsync(key) is { } ticket)
                {
                    ticket.Properties.Items["generation"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await store.RenewAsync(key, ticket);
                }
            }));
            var signOut = Task.Run(async () => { go.SignalAndWait(); await store.RemoveAsync(key); });
            await Task.WhenAll([.. renewals, signOut]);

            (await store.RetrieveAsync(key)).Should().BeNull($"round {round}: signed out is signed out");
        }
    }

    [Fact]
    public async Task Concurrent_renewals_leave_exactly_one_of_their_tickets()
    {
        var store = Store();
        var key = await store.StoreAsync(Ticket("bob", 0));
        var before = await VersionAsync(key);
        var tickets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.RetrieveAsync(key)));

        await Task.WhenAll(tickets.Select((ticket, i) =>
        {
            ticket!.Properties.Items["generation"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.Run(() => store.RenewAsync(key, ticket));
        }));

        var stored = await store.RetrieveAsync(key);
        stored!.Principal.FindFirst("sub")!.Value.Should().Be("bob");
        int.Parse(stored.Properties.Items["generation"]!, System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 8);
        // All eight read the same ETag: the first write wins, the other seven change nothing (state.redis counts versions).
        (await VersionAsync(key)).Should().Be(before + 1);
    }

    private async Task<long> VersionAsync(string sessionKey)
    {
        var (_, etag) = await _system.Dapr.GetStateAndETagAsync<string>(
            DaprReservations.BuildingBlocks.Topology.Components.SessionStore, "session:" + sessionKey);
        return long.Parse(etag, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Replicas_adding_keys_to_the_key_ring_at_once_lose_none()
    {
        await _system.Dapr.DeleteStateAsync(DaprReservations.BuildingBlocks.Topology.Components.SessionStore, DaprKeyRing.Key);
        var replicas = Enumerable.Range(0, 6).Select(_ => new DaprKeyRing(_system.Dapr, NullLogger<DaprKeyRing>.Instance)).ToList();
        using var go = new Barrier(replicas.Count);

        await Task.WhenAll(replicas.Select((ring, i) => Task.Run(() =>
        {
            go.SignalAndWait();
            ring.StoreElement(new XElement("key", new XAttribute("id", i)), $"key-{i}");
        })));

        replicas[0].GetAllElements().Select(e => (string)e.Attribute("id")!).Should().BeEquivalentTo(["0", "1", "2", "3", "4", "5"]);
    }
}
