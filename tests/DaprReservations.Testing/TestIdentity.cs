using System.Net.Http.Headers;
using DaprReservations.BuildingBlocks.Security;

namespace DaprReservations.Testing;

/// <summary>
/// The development issuer every system test shares: apps get <see cref="Env"/> (their <c>Auth:DevSigningKey</c>),
/// tests mint tokens with the same key, exactly as the web app's <c>/dev/token</c> does on a developer machine.
/// </summary>
public static class TestIdentity
{
    public const string SigningKey = "system-tests-development-signing-key-not-a-secret";

    public static readonly DevTokenIssuer Issuer = new(SigningKey);

    /// <summary>Environment entries that make an app trust the test issuer.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Env => [new("Auth__DevSigningKey", SigningKey)];

    public static string AdminToken() => Issuer.Issue("admin", "Admin", [Roles.Admin]);

    public static string CustomerToken(string customer) => Issuer.Issue(customer, customer);

    /// <summary>Makes every request of <paramref name="client"/> carry <paramref name="token"/>.</summary>
    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
