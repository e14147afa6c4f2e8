using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// dapr.yaml (the local run, for `dapr run -f .` and the local sidecar) agrees with the code's app ids and the ports
/// of services/README.md, which the AKS manifests are checked against too: one topology everywhere.
/// </summary>
public class DaprRunFileTests
{
    private static readonly string RunFile = Repository.PathOf("dapr.yaml");

    private static IReadOnlyList<YamlMappingNode> Apps()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RunFile)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("apps")]).Children.Cast<YamlMappingNode>().ToList();
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    [Fact]
    public void Every_app_in_dapr_yaml_is_a_known_app_id_in_its_own_service_folder()
    {
        Apps().Should().NotBeEmpty();
        foreach (var app in Apps())
        {
            var appId = Scalar(app, "appID");
            AppIds.All.Should().Contain(appId, "dapr.yaml app ids are the code's app ids");
            Scalar(app, "appDirPath")!.TrimStart('.', '/').TrimEnd('/').Should().Be($"services/{appId}", "a service folder is named after its app id");
            Directory.Exists(Repository.PathOf("services", appId!)).Should().BeTrue();
        }
    }

    [Fact]
    public void Every_app_in_dapr_yaml_uses_the_documented_ports_and_binds_its_app_port()
    {
        foreach (var app in Apps())
        {
            var appId = Scalar(app, "appID")!;
            var (appPort, daprHttp, daprGrpc) = ServicesReadme.Ports[appId];
            Scalar(app, "appPort").Should().Be(appPort.ToString(System.Globalization.CultureInfo.InvariantCulture), appId);
            Scalar(app, "daprHTTPPort").Should().Be(daprHttp.ToString(System.Globalization.CultureInfo.InvariantCulture), appId);
            Scalar(app, "daprGRPCPort").Should().Be(daprGrpc.ToString(System.Globalization.CultureInfo.InvariantCulture), appId);
            var env = (YamlMappingNode)app.Children[new YamlScalarNode("env")];
            Scalar(env, "ASPNETCORE_URLS").Should().EndWith($":{appPort}", $"{appId} must listen where its sidecar calls it");
        }
    }

    [Fact]
    public void The_run_file_loads_the_local_components_which_define_every_component_name()
    {
        var root = new YamlStream();
        root.Load(new StringReader(File.ReadAllText(RunFile)));
        var common = (YamlMappingNode)((YamlMappingNode)root.Documents[0].RootNode).Children[new YamlScalarNode("common")];
        var resources = Scalar(common, "resourcesPath")!;
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RunFile)!, resources))
            .Should().Be(Repository.PathOf("components", "local"));
        Deployables.ComponentSet("local").Select(c => c.Name).Should().Contain(Deployables.ComponentNames);
    }
}
