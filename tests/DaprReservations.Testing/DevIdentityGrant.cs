using System.Net.Http.Json;
using System.Text.Json;

namespace DaprReservations.Testing;

/// <summary>
/// tools/DevIdentity's grant for scripted clients (tests, tools): an access token for any demo user name, no browser.
/// It exists only in that local provider (its README); Entra ID has nothing like it.
/// </summary>
public static class DevIdentityGrant
{
    public const string GrantType = "urn:daprreservations:grant-type:demo-user";
    public const string ClientId = "scripts";

    public static async Task<string> TokenAsync(Uri authority, string user, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = authority, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["client_id"] = ClientId,
            ["username"] = user,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"{authority}connect/token refused '{user}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!;
    }
}
