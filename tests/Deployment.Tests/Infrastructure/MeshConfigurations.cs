using DaprReservations.BuildingBlocks.Topology;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// The Dapr configuration each app's sidecar runs with: locally the file dapr.yaml names (configFilePath, relative to
/// the app's appDirPath as the Dapr CLI resolves it), on AKS the Configuration its pods name (dapr.io/config) in the
/// rendered overlay. Also the namespace daprd puts in a caller's SPIFFE id there.
/// </summary>
public static class MeshConfigurations
{
    public const string Local = "local";
    public static readonly TheoryData<string> Environments = new([Local, .. Deployables.EnvironmentNames]);

    public static IReadOnlyDictionary<string, YamlResource> For(string environment) =>
        environment == Local ? FromRunFile() : FromOverlay(Deployables.Overlay(environment));

    /// <summary>Self-hosted daprd: the NAMESPACE variable, "default" when unset. AKS: the apps' namespace.</summary>
    public static string CallerNamespace(string environment) =>
        environment == Local ? "default" : Deployables.Overlay(environment).OfKind("Namespace").Single().Name;

    private static Dictionary<string, YamlResource> FromRunFile()
    {
        var runFile = Repository.PathOf("dapr.yaml");
        var root = (YamlMappingNode)YamlResource.LoadDocuments(File.ReadAllText(runFile)).Single();
        var result = new Dictionary<string, YamlResource>();
        foreach (var app in root.Sequence("apps")!.Children.OfType<YamlMappingNode>())
        {
            var appId = app.Scalar("appID")!;
            var appDir = Path.GetFullPath(Path.Combine(Repository.Root, app.Scalar("appDirPath")!));
            var configFile = app.Scalar("configFilePath")
                ?? throw new InvalidDataException($"dapr.yaml: app {appId} has no configFilePath");
            result[appId] = YamlResource.LoadFile(Path.GetFullPath(Path.Combine(appDir, configFile))).Single();
        }
        return result;
    }

    private static Dictionary<string, YamlResource> FromOverlay(KustomizeBuild build)
    {
        var result = new Dictionary<string, YamlResource>();
        foreach (var deployment in build.OfKind("Deployment"))
        {
            var annotations = deployment.Node.Map("spec.template.metadata.annotations");
            var appId = annotations?.Scalar("dapr\\.io/app-id");
            var config = annotations?.Scalar("dapr\\.io/config");
            if (appId is null || config is null) continue;
            result[appId] = build.Find("Configuration", config)
                ?? throw new InvalidDataException($"{deployment}: Configuration '{config}' is not in the overlay");
        }
        return result;
    }

    /// <summary>The apps whose sidecars run in the environment: the code's, and locally the local-only ones too.</summary>
    public static IReadOnlyList<string> AppsOf(string environment) =>
        environment == Local ? [.. AppIds.All, .. LocalOnlyApps.All] : AppIds.All;

    /// <summary>Every app id of the code, the local-only apps (their sidecars call nothing), and one the mesh does not know.</summary>
    public static IReadOnlyList<string> Callers { get; } = [.. AppIds.All, .. LocalOnlyApps.All, "intruder"];
}
