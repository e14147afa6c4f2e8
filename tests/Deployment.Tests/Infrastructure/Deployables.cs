using System.Reflection;
using DaprReservations.BuildingBlocks.Topology;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>The things under test, loaded once: component sets, overlays, the code's topology constants.</summary>
public static class Deployables
{
    public static readonly IReadOnlyList<string> EnvironmentNames = ["dev", "prod"];
    public static readonly TheoryData<string> Environments = new(EnvironmentNames);

    public static IReadOnlyList<string> ComponentNames { get; } = ConstantsOf(typeof(Components));
    public static IReadOnlyList<string> TopicNames { get; } = ConstantsOf(typeof(Topics));

    public static string OverlayDirectory(string environment) => Repository.PathOf("deploy", "aks", "overlays", environment);

    public static KustomizeBuild Overlay(string environment) => KustomizeBuild.Load(OverlayDirectory(environment));

    /// <summary>The Dapr resources of components/local or components/azure.</summary>
    public static IReadOnlyList<YamlResource> ComponentSet(string name) =>
        Directory.GetFiles(Repository.PathOf("components", name), "*.yaml").Order()
            .SelectMany(YamlResource.LoadFile).ToList();

    public static YamlResource SharedDaprFile(string fileName) => YamlResource.LoadFile(Repository.PathOf("components", fileName)).Single();

    /// <summary>The Dapr configurations of components/config (one per app), by file name.</summary>
    public static IReadOnlyList<YamlResource> ConfigurationFiles() =>
        Directory.GetFiles(Repository.PathOf("components", "config"), "*.yaml").Order()
            .SelectMany(YamlResource.LoadFile).ToList();

    public static YamlResource Component(IEnumerable<YamlResource> set, string name) =>
        set.Single(r => r.Kind == "Component" && r.Name == name);

    public static IReadOnlyList<string> Scopes(YamlResource resource) => resource.Node.Strings("scopes").ToList();

    public static string? MetadataValue(YamlResource component, string name) =>
        component.Node.Scalar($"spec.metadata.[name={name}].value");

    public static YamlMappingNode? Metadata(YamlResource component, string name) =>
        component.Node.Map($"spec.metadata.[name={name}]");

    /// <summary>KEY=VALUE lines of an overlay's azure-settings.env: the placeholders the base leaves to each overlay.</summary>
    public static IReadOnlyList<string> PlaceholderKeys(string environment) =>
        File.ReadAllLines(Path.Combine(OverlayDirectory(environment), "azure-settings.env"))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=')].Trim()).ToList();

    private static IReadOnlyList<string> ConstantsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();
}
