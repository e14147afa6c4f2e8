using System.Text.RegularExpressions;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// AKS signs users in with Entra ID through the settings the local run gives the local provider (dapr.yaml): every app
/// validates v2 access tokens of the API registration, and web is the web registration's confidential client whose
/// secret only a Secret holds. The app registrations themselves: deploy/entra.
/// </summary>
public partial class EntraSignInTests
{
    private static Dictionary<string, string> Settings(string environment) =>
        File.ReadAllLines(Path.Combine(Deployables.OverlayDirectory(environment), "azure-settings.env"))
            .Where(line => line.Contains('=') && !line.TrimStart().StartsWith('#'))
            .ToDictionary(line => line[..line.IndexOf('=')].Trim(), line => line[(line.IndexOf('=') + 1)..].Trim());

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Every_app_validates_entra_id_v2_access_tokens_of_the_api_registration(string environment)
    {
        var settings = Settings(environment);

        // v2 tokens (the API registration's accessTokenAcceptedVersion: 2) carry iss .../{tenant}/v2.0 and, as aud, the
        // API's client id; v1 tokens would carry sts.windows.net and api://..., which these settings refuse.
        settings.Should().ContainKey("Auth__Authority").WhoseValue.Should().MatchRegex(EntraV2Authority().ToString());
        settings.Should().ContainKey("Auth__Audience").WhoseValue.Should().MatchRegex(Guid().ToString(), "a v2 token's aud is the API's client id");
        settings.Should().ContainKey("Auth__Scope").WhoseValue.Should().NotBeNullOrWhiteSpace("the customer and admin policies require the API's scope");
        settings.Keys.Should().NotContain(k => k.Contains("DevSigningKey"));
        settings.GetValueOrDefault("Auth__RequireHttpsMetadata").Should().NotBe("false", "only the loopback provider may serve http");

        foreach (var deployment in Deployables.Overlay(environment).OfKind("Deployment"))
        {
            var container = deployment.Node.Map("spec.template.spec.containers.0")!;
            container.Scalar("envFrom.0.configMapRef.name").Should().Be("azure-settings", $"{deployment} reads the Auth settings from it");
            foreach (var name in new[] { "Auth__Authority", "Auth__Audience", "Auth__Scope", "Auth__RequireHttpsMetadata" })
                container.Map($"env.[name={name}]").Should().BeNull($"{deployment}: one place sets {name}, azure-settings.env");
        }
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Web_signs_in_as_the_web_registration_with_a_secret_from_a_secret_and_asks_for_the_api_scope(string environment)
    {
        var settings = Settings(environment);
        var build = Deployables.Overlay(environment);

        settings.Should().ContainKey("SignIn__ClientId").WhoseValue.Should().MatchRegex(Guid().ToString(), "the web registration's client id");
        settings["SignIn__ClientId"].Should().NotBe(settings["Auth__Audience"], "web and the API are two registrations");
        // Entra ID names a scope of another application by its identifier URI: api://{api client id}/{scope}.
        settings.Should().ContainKey("SignIn__ApiScope").WhoseValue.Should().Be($"api://{settings["Auth__Audience"]}/{settings["Auth__Scope"]}");
        settings.Keys.Should().NotContain("SignIn__ClientSecret", "azure-settings.env is a ConfigMap: nothing secret");

        foreach (var deployment in build.OfKind("Deployment"))
        {
            var appId = deployment.Node.Scalar("spec.template.metadata.annotations.dapr\\.io/app-id");
            var secret = deployment.Node.Map("spec.template.spec.containers.0")!.Map("env.[name=SignIn__ClientSecret]");
            if (appId != AppIds.Web)
            {
                secret.Should().BeNull($"{appId} is no OpenID Connect client");
                continue;
            }
            secret.Should().NotBeNull("web is a confidential client");
            secret!.Scalar("value").Should().BeNull("a client secret never lives in a manifest");
            // Created from Key Vault secret web-signin-client-secret (docs/operations.md, deploy/entra/README.md).
            secret.Scalar("valueFrom.secretKeyRef.name").Should().Be("web-signin");
            secret.Scalar("valueFrom.secretKeyRef.key").Should().Be("client-secret");
        }
    }

    [Fact]
    public void Nothing_under_deploy_trusts_the_retired_development_signing_key()
    {
        var files = Directory.GetFiles(Repository.PathOf("deploy"), "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("DevSigningKey", StringComparison.OrdinalIgnoreCase));

        files.Select(Repository.Relative).Should().BeEmpty("services trust only an OpenID Connect authority");
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/0c9a6f1e-2b7d-4e5a-9c3b-1d2e3f4a5b6c/v2.0", true)]
    [InlineData("https://login.microsoftonline.com/0c9a6f1e-2b7d-4e5a-9c3b-1d2e3f4a5b6c/", false)] // v1 metadata
    [InlineData("https://sts.windows.net/0c9a6f1e-2b7d-4e5a-9c3b-1d2e3f4a5b6c/", false)]           // v1 issuer
    [InlineData("https://login.microsoftonline.com/common/v2.0", false)]                           // any tenant's users
    public void The_authority_check_accepts_only_a_tenants_v2_issuer(string authority, bool accepted)
    {
        EntraV2Authority().IsMatch(authority).Should().Be(accepted);
    }

    [GeneratedRegex("^https://login\\.microsoftonline\\.com/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/v2\\.0$")]
    private static partial Regex EntraV2Authority();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Guid();
}
