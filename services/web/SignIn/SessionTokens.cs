using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Web.SignIn;

/// <summary>
/// The user's tokens, kept on the server in the session: the access token is refreshed shortly before it expires
/// (refresh_token grant at the provider's token endpoint, the same for Entra ID and the local provider), and the
/// refresh token is revoked at sign-out where the provider offers revocation. Requests of one session that need a
/// refresh at once share one call (keyed by the refresh token), so a rotating provider is never asked twice.
/// </summary>
public sealed class SessionTokens(
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    IOptions<SignInOptions> options,
    IMemoryCache recent,
    TimeProvider clock,
    ILogger<SessionTokens> logger)
{
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ExpiresAt = "expires_at";

    // A refresh answered a moment ago serves the requests that read the session before it was renewed.
    private static readonly TimeSpan ShareFor = TimeSpan.FromSeconds(30);

    private OpenIdConnectOptions Oidc => oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);

    /// <summary>Cookie validation: refresh when due; end the session when the provider refuses the refresh token.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (!NeedsRefresh(context.Properties))
            return;

        var refreshToken = context.Properties.GetTokenValue(RefreshToken);
        var result = refreshToken is null ? Refresh.Refused : await RefreshOnceAsync(refreshToken, context.HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case RefreshOutcome.Refreshed:
                context.Properties.UpdateTokenValue(AccessToken, result.AccessToken!);
                context.Properties.UpdateTokenValue(ExpiresAt, result.ExpiresAt!.Value.ToString("o", CultureInfo.InvariantCulture));
                if (result.RefreshToken is not null)
                    context.Properties.UpdateTokenValue(RefreshToken, result.RefreshToken);
                context.ShouldRenew = true;
                break;
            case RefreshOutcome.Refused:
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                break;
            default:
                break; // provider unreachable: the session stays; the edge answers 503 while its token is expired
        }
    }

    /// <summary>Whether the session's access token has run out (a refresh was due but the provider was unreachable).</summary>
    public bool IsExpired(AuthenticationProperties properties) => ExpiryOf(properties) is { } expires && expires <= clock.GetUtcNow();

    /// <summary>Best effort at sign-out: the session is gone either way, the provider also forgets the refresh token.</summary>
    public async Task RevokeAsync(AuthenticationProperties properties, CancellationToken cancellationToken)
    {
        if (properties.GetTokenValue(RefreshToken) is not { } refreshToken)
            return;
        try
        {
            var configuration = await Oidc.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            if (string.IsNullOrEmpty(configuration.RevocationEndpoint))
                return; // Entra ID has none: the refresh token dies with the session we just deleted
            using var response = await Oidc.Backchannel.PostAsync(configuration.RevocationEndpoint, ClientForm(
                ("token", refreshToken), ("token_type_hint", RefreshToken)), cancellationToken);
            if (!response.IsSuccessStatusCode)
                logger.LogWarning("Refresh token revocation answered {Status}", (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            logger.LogWarning(e, "Refresh token revocation failed; the session is deleted regardless");
        }
    }

    private bool NeedsRefresh(AuthenticationProperties properties) =>
        ExpiryOf(properties) is { } expires && expires - options.Value.RefreshBefore <= clock.GetUtcNow();

    private static DateTimeOffset? ExpiryOf(AuthenticationProperties properties) =>
        DateTimeOffset.TryParse(properties.GetTokenValue(ExpiresAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            ? expires : null;

    private async Task<Refresh> RefreshOnceAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = "refresh:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        var shared = recent.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = ShareFor;
            // Not the request's token: one caller giving up must not fail the others waiting on the same refresh.
            return new Lazy<Task<Refresh>>(() => RefreshAsync(refreshToken, CancellationToken.None));
        })!;
        var result = await shared.Value.WaitAsync(cancellationToken);
        if (result.Outcome == RefreshOutcome.Unavailable)
            recent.Remove(key); // the next request tries again
        return result;
    }

    private async Task<Refresh> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await Oidc.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            using var response = await Oidc.Backchannel.PostAsync(configuration.TokenEndpoint, ClientForm(
                ("grant_type", RefreshToken), (RefreshToken, refreshToken)), cancellationToken);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
            {
                logger.LogInformation("The provider refused the refresh token ({Status}); the session ends", (int)response.StatusCode);
                return Refresh.Refused;
            }
            if (!response.IsSuccessStatusCode)
                return Refresh.Unavailable;

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = body.RootElement;
            if (!root.TryGetProperty(AccessToken, out var access) || access.GetString() is not { Length: > 0 } accessToken)
                return Refresh.Unavailable;
            var lifetime = root.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var s) ? s : 3600;
            var rotated = root.TryGetProperty(RefreshToken, out var next) ? next.GetString() : null;
            return new Refresh(RefreshOutcome.Refreshed, accessToken, rotated, clock.GetUtcNow().AddSeconds(lifetime));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException)
        {
            logger.LogWarning(e, "Refreshing the access token failed; the provider is unreachable");
            return Refresh.Unavailable;
        }
    }

    private FormUrlEncodedContent ClientForm(params (string Name, string Value)[] fields) => new(
        fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("client_id", Oidc.ClientId!))
            .Append(KeyValuePair.Create("client_secret", Oidc.ClientSecret!)));

    private enum RefreshOutcome { Refreshed, Refused, Unavailable }

    private sealed record Refresh(RefreshOutcome Outcome, string? AccessToken = null, string? RefreshToken = null, DateTimeOffset? ExpiresAt = null)
    {
        public static readonly Refresh Refused = new(RefreshOutcome.Refused);
        public static readonly Refresh Unavailable = new(RefreshOutcome.Unavailable);
    }
}
