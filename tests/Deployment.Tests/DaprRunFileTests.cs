using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// dapr.yaml (the local run, for `dapr run -f .` and the local sidecar) agrees with the code's app ids and the ports
/// of services/README.md, which the AKS manifests are checked against too: one topology everywhere. The local sign-in
/// provider is its one app beyond the services (<see cref="LocalOnlyApps"/>), and every app signs in against it.
/// </summary>
public class DaprRunFileTests
{
    private static readonly string RunFile = Repository.PathOf("dapr.yaml");

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RunFile)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IReadOnlyList<YamlMappingNode> Apps() =>
        ((YamlSequenceNode)Root().Children[new YamlScalarNode("apps")]).Children.Cast<YamlMappingNode>().ToList();

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static Dictionary<string, string?> EnvOf(YamlMappingNode? env) =>
        env?.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (e.Value as YamlScalarNode)?.Value) ?? [];

    /// <summary>What each app's process gets: common.env, overridden by the app's own env (the Dapr CLI's rule).</summary>
    private static Dictionary<string, Dictionary<string, string?>> EffectiveEnv()
    {
        var common = EnvOf(Root().Children[new YamlScalarNode("common")] is YamlMappingNode c && c.Children.TryGetValue(new YamlScalarNode("env"), out var e) ? e as YamlMappingNode : null);
        return Apps().ToDictionary(app => Scalar(app, "appID")!, app =>
        {
            var env = new Dictionary<string, string?>(common);
            foreach (var (key, value) in EnvOf(app.Children.TryGetValue(new YamlScalarNode("env"), out var own) ? own as YamlMappingNode : null))
                env[key] = value;
            return env;
        });
    }

    [Fact]
    public void Every_app_in_dapr_yaml_is_a_known_app_id_in_its_own_service_folder_or_a_named_local_only_app()
    {
        Apps().Should().NotBeEmpty();
        foreach (var app in Apps())
        {
            var appId = Scalar(app, "appID")!;
            var folder = Scalar(app, "appDirPath")!.TrimStart('.', '/').TrimEnd('/');
            if (LocalOnlyApps.Ports.TryGetValue(appId, out var localOnly))
            {
                AppIds.All.Should().NotContain(appId, "a local-only app is not one of the system's apps");
                folder.Should().Be(localOnly.Folder, appId);
            }
            else
            {
                AppIds.All.Should().Contain(appId, "dapr.yaml app ids are the code's app ids or local-only apps");
                folder.Should().Be($"services/{appId}", "a service folder is named after its app id");
            }
            Directory.Exists(Repository.PathOf(folder)).Should().BeTrue(folder);
        }
        Apps().Select(a => Scalar(a, "appID")).Should().Contain(AppIds.All).And.Contain(LocalOnlyApps.All);
    }

    [Fact]
    public void Every_app_in_dapr_yaml_uses_the_documented_ports_and_binds_its_app_port()
    {
        foreach (var app in Apps())
        {
            var appId = Scalar(app, "appID")!;
            var (appPort, daprHttp, daprGrpc) = LocalOnlyApps.Ports.TryGetValue(appId, out var localOnly)
                ? (localOnly.App, localOnly.DaprHttp, localOnly.DaprGrpc)
                : ServicesReadme.Ports[appId];
            Scalar(app, "appPort").Should().Be(appPort.ToString(System.Globalization.CultureInfo.InvariantCulture), appId);
            Scalar(app, "daprHTTPPort").Should().Be(daprHttp.ToString(System.Globalization.CultureInfo.InvariantCulture), appId);
            Scalar(app, "daprGRPCPort").Should().Be(daprGrpc.ToString(System.Globalization.CultureInfo.InvariantCulture), appId);
            EffectiveEnv()[appId]["ASPNETCORE_URLS"].Should().EndWith($":{appPort}", $"{appId} must listen where its sidecar calls it");
        }
    }

    [Fact]
    public void The_run_file_loads_the_local_components_which_define_every_component_name()
    {
        var common = (YamlMappingNode)Root().Children[new YamlScalarNode("common")];
        var resources = Scalar(common, "resourcesPath")!;
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RunFile)!, resources))
            .Should().Be(Repository.PathOf("components", "local"));
        Deployables.ComponentSet("local").Select(c => c.Name).Should().Contain(Deployables.ComponentNames);
    }

    /// <summary>
    /// The same Auth settings as on AKS, pointing at the identity app: a service trusts the local provider through the
    /// code path it trusts Entra ID with. Plain http is allowed only because the provider is on loopback.
    /// </summary>
    [Fact]
    public void Every_app_signs_in_against_the_identity_app_with_the_production_settings_names()
    {
        var env = EffectiveEnv();
        var identityUrl = env[LocalOnlyApps.Identity]["ASPNETCORE_URLS"]!.TrimEnd('/') + "/";

        identityUrl.Should().StartWith("http://127.0.0.1:", "plain http metadata is only acceptable on loopback");
        Apps().Select(a => Scalar(a, "appID")).First().Should().Be(LocalOnlyApps.Identity, "the provider starts before web fetches its metadata");
        foreach (var (appId, settings) in env.Where(e => AppIds.All.Contains(e.Key)))
        {
            settings.GetValueOrDefault("Auth__Authority").Should().Be(identityUrl, $"{appId} trusts the identity app as its issuer");
            settings.GetValueOrDefault("Auth__Audience").Should().Be("api://daprreservations", $"{appId}: the local provider's audience");
            settings.GetValueOrDefault("Auth__RequireHttpsMetadata").Should().Be("false", $"{appId}: the local provider serves http");
            settings.Keys.Should().NotContain(k => k.Contains("DevSigningKey"), $"{appId}: the shared development key is gone");
        }
        File.ReadAllText(RunFile).Should().NotContain("DevSigningKey");
    }

    [Fact]
    public void Web_is_the_identity_apps_confidential_client_and_only_the_two_hold_its_secret()
    {
        var env = EffectiveEnv();
        var web = env[AppIds.Web];
        var identity = env[LocalOnlyApps.Identity];
        var secret = web.GetValueOrDefault("SignIn__ClientSecret");

        secret.Should().NotBeNullOrEmpty("web is a confidential client");
        identity.GetValueOrDefault("Identity__WebClient__ClientSecret").Should().Be(secret, "the provider knows web's secret");
        web.GetValueOrDefault("SignIn__ClientId").Should().Be("web", "the provider's default client id for web");
        web.GetValueOrDefault("SignIn__ApiScope").Should().Be("access_as_user", "the scope the services require (Auth:Scope)");
        identity.Where(e => e.Key.StartsWith("Identity__WebClient__BaseUrls__", StringComparison.Ordinal)).Select(e => e.Value)
            .Should().Contain(web["ASPNETCORE_URLS"], "web's callbacks are registered at the address web listens on");
        foreach (var (appId, settings) in env.Where(e => e.Key != AppIds.Web && e.Key != LocalOnlyApps.Identity))
            settings.Values.Should().NotContain(secret, $"{appId} has no business with web's client secret");
    }
}
