using System.Globalization;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Web.SignIn;

/// <summary>
/// Sign-in sessions on the server: the cookie carries only a session id, the ticket (claims and the user's tokens,
/// encrypted with Data Protection) lives in the Dapr state store <c>sessionstore</c> under <c>session:{id}</c> with a
/// TTL, so every web replica sees it and signing out ends it for good. A refresh rewrites the ticket with the ETag it
/// was read with (first write wins): a renewal that lost to a sign-out or to another renewal changes nothing.
/// Signing out overwrites the ticket with a tombstone (same ETag rule) instead of deleting it: on state.redis an ETag
/// write to a missing key inserts it, so a renewal racing a delete would bring the session back.
/// </summary>
public sealed class SessionStore(DaprClient dapr, IDataProtectionProvider protection, TimeProvider clock, IOptions<SignInOptions> options) : ITicketStore
{
    internal const string KeyPrefix = "session:";

    // Where RetrieveAsync leaves the ETag for the RenewAsync of the same request; never serialised with the ticket.
    private const string ETagItem = ".dr.session-etag";

    /// <summary>What a signed-out session holds until its TTL (the idle timeout) runs out.</summary>
    internal const string SignedOut = "signed-out";

    private const int MaxSignOutAttempts = 10;

    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong };

    private readonly IDataProtector _protector = protection.CreateProtector("Web.SignIn.SessionStore.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket) => await StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // A fresh random key: nothing else can hold it, so a plain first write creates it.
        await dapr.SaveStateAsync(Components.SessionStore, KeyPrefix + id, Protect(ticket), FirstWrite, Ttl(ticket), cancellationToken);
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        if (!ticket.Properties.Items.Remove(ETagItem, out var etag) || string.IsNullOrEmpty(etag))
            return; // not read in this request (cannot happen through the cookie handler): never write blind
        // False when the session was signed out or renewed meanwhile: that newer state stands.
        await dapr.TrySaveStateAsync(Components.SessionStore, KeyPrefix + key, Protect(ticket), etag, FirstWrite, Ttl(ticket), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        if (!IsSessionId(key))
            return null;
        var (value, etag) = await dapr.GetStateAndETagAsync<string?>(Components.SessionStore, KeyPrefix + key, ConsistencyMode.Strong, cancellationToken: cancellationToken);
        var ticket = value is null or SignedOut ? null : Unprotect(value);
        if (ticket is null || ticket.Properties.ExpiresUtc <= clock.GetUtcNow())
            return null;
        ticket.Properties.Items[ETagItem] = etag;
        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        if (!IsSessionId(key))
            return;
        // Outlives any renewal still in flight: once it is gone, a ticket written then would be past its own expiry.
        var ttl = TtlMetadata(options.Value.SessionIdleTimeout);
        for (var attempt = 1; attempt <= MaxSignOutAttempts; attempt++)
        {
            var (value, etag) = await dapr.GetStateAndETagAsync<string?>(Components.SessionStore, KeyPrefix + key, ConsistencyMode.Strong, cancellationToken: cancellationToken);
            if (value is null or SignedOut)
                return;
            if (await dapr.TrySaveStateAsync(Components.SessionStore, KeyPrefix + key, SignedOut, etag, FirstWrite, ttl, cancellationToken))
                return;
        }

        throw new InvalidOperationException("The session kept changing while signing out; try again.");
    }

    private static bool IsSessionId(string key) => key.Length == 64 && key.All(char.IsAsciiHexDigitLower);

    private string Protect(AuthenticationTicket ticket)
    {
        ticket.Properties.Items.Remove(ETagItem);
        return Convert.ToBase64String(_protector.Protect(TicketSerializer.Default.Serialize(ticket)));
    }

    private AuthenticationTicket? Unprotect(string value)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(Convert.FromBase64String(value)));
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return null; // written under a key ring that is gone: the session is over, not an error
        }
    }

    private Dictionary<string, string> Ttl(AuthenticationTicket ticket) =>
        TtlMetadata((ticket.Properties.ExpiresUtc ?? clock.GetUtcNow() + options.Value.SessionIdleTimeout) - clock.GetUtcNow());

    private static Dictionary<string, string> TtlMetadata(TimeSpan left) => new()
    {
        ["ttlInSeconds"] = Math.Max(60, (long)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
    };
}
