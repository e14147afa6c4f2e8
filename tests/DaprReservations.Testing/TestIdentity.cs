using System.Net.Http.Headers;
using DaprReservations.BuildingBlocks.Security;

namespace DaprReservations.Testing;

/// <summary>
/// Sign-in for system tests: every app a <see cref="DaprSystem"/> starts trusts <see cref="SigningKey"/> (the
/// development issuer), and tests call as customers or as the admin with tokens minted here.
/// </summary>
public static class TestIdentity
{
    public const string SigningKey = "system-tests-development-signing-key-0123456789";

    public const string Admin = "admin";

    private static readonly DevTokenIssuer Issuer = new(SigningKey);

    public static string Token(string subject, bool admin = false) =>
        Issuer.Issue(subject, subject, admin ? [Roles.Admin] : null);

    public static AuthenticationHeaderValue Bearer(string subject, bool admin = false) => new("Bearer", Token(subject, admin));

    /// <summary>Makes every request of <paramref name="client"/> carry the subject's token.</summary>
    public static HttpClient As(this HttpClient client, string subject, bool admin = false)
    {
        client.DefaultRequestHeaders.Authorization = Bearer(subject, admin);
        return client;
    }
}
