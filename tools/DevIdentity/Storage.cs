using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DevIdentity;

/// <summary>OpenIddict's EF Core entities (applications, authorizations, scopes, tokens) and nothing else.</summary>
public sealed class DevIdentityDbContext(DbContextOptions<DevIdentityDbContext> options) : DbContext(options);

/// <summary>
/// An in-memory SQLite database that lives exactly as long as the process: a named shared-cache database disappears
/// when its last connection closes, so this keeper holds one connection open. Each DbContext opens its own connection
/// to the same database (one SqliteConnection must not be used by concurrent requests).
/// </summary>
public sealed class InMemoryDatabase : IDisposable
{
    private readonly SqliteConnection keeper;

    public InMemoryDatabase()
    {
        // A unique name per instance: several providers in one test process must not share tokens.
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = $"devidentity-{Guid.NewGuid():N}",
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        keeper = new SqliteConnection(ConnectionString);
        keeper.Open();
    }

    public string ConnectionString { get; }

    public void Dispose() => keeper.Dispose();
}

/// <summary>Creates the schema and registers the two clients from configuration, once at startup.</summary>
public static class ClientRegistration
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<IdentitySettings>();
        await scope.ServiceProvider.GetRequiredService<DevIdentityDbContext>().Database.EnsureCreatedAsync(cancellationToken);
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(WebClient(settings), cancellationToken);
        await applications.CreateAsync(ScriptsClient(settings), cancellationToken);
    }

    /// <summary>The web BFF: confidential, code + PKCE, refresh tokens, end session, revocation.</summary>
    private static OpenIddictApplicationDescriptor WebClient(IdentitySettings settings)
    {
        var web = new OpenIddictApplicationDescriptor
        {
            ClientId = settings.WebClientId,
            ClientSecret = settings.WebClientSecret,
            ClientType = ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            DisplayName = "DaprReservations web",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Prefixes.Scope + settings.ApiScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in settings.RedirectUris)
            web.RedirectUris.Add(uri);
        foreach (var uri in settings.PostLogoutRedirectUris)
            web.PostLogoutRedirectUris.Add(uri);
        return web;
    }

    /// <summary>Tests, benchmarks and the fuzz command: public (no secret), only the demo-user grant.</summary>
    private static OpenIddictApplicationDescriptor ScriptsClient(IdentitySettings settings) => new()
    {
        ClientId = IdentitySettings.ScriptsClientId,
        ClientType = ClientTypes.Public,
        DisplayName = "Scripts (local runs and tests only)",
        Permissions =
        {
            Permissions.Endpoints.Token,
            Permissions.Prefixes.GrantType + IdentitySettings.DemoUserGrantType,
            Permissions.Prefixes.Scope + settings.ApiScope,
        },
    };
}
