using System.Text.RegularExpressions;
using DaprReservations.Deployment.Tests.Infrastructure;
using k8s;

namespace DaprReservations.Deployment.Tests;

/// <summary>deploy/aks: every file is used, every path exists, every manifest is a valid object, nothing left unset.</summary>
public class KubernetesManifestTests
{
    private static readonly string AksDirectory = Repository.PathOf("deploy", "aks");

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Overlay_references_only_paths_that_exist_and_fields_that_resolve(string environment)
    {
        var build = Deployables.Overlay(environment);

        build.Problems.Should().BeEmpty();
        build.Resources.Should().NotBeEmpty();
    }

    [Fact]
    public void Every_file_under_deploy_aks_is_used_by_an_overlay()
    {
        var used = Deployables.EnvironmentNames.SelectMany(e => Deployables.Overlay(e).FilesRead).ToHashSet();
        var files = Directory.GetFiles(AksDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal));

        files.Where(f => !used.Contains(f)).Select(Repository.Relative).Should().BeEmpty("a file no overlay reads is never deployed nor checked");
    }

    [Fact]
    public void Every_kubernetes_manifest_loads_strictly()
    {
        var manifests = Deployables.EnvironmentNames.SelectMany(e => Deployables.Overlay(e).FilesRead)
            .Where(f => f.StartsWith(AksDirectory, StringComparison.Ordinal) && IsManifest(f))
            .Distinct().ToList();
        manifests.Should().NotBeEmpty();

        var failures = new List<string>();
        foreach (var file in manifests)
        foreach (var resource in YamlResource.LoadFile(file))
            failures.AddRange(resource.IsDapr ? DaprResourceSchema.Check(resource) : LoadStrictly(resource));

        failures.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Overlay_renders_valid_resources_with_every_placeholder_filled(string environment)
    {
        var build = Deployables.Overlay(environment);

        var failures = build.Resources.SelectMany(r => r.IsDapr ? DaprResourceSchema.Check(r) : LoadStrictly(r)).ToList();
        failures.AddRange(LeftoverPlaceholders(build.Resources, environment));

        failures.Should().BeEmpty();
    }

    /// <summary>
    /// kubectl's own kustomize also applies the patches, which the in-process reading only checks. kubectl is on the
    /// development machines but may be missing on a fresh CI machine: there this test checks the in-process rendering
    /// only (the test above does the same), and says so in its output.
    /// </summary>
    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public async Task Overlay_renders_with_kubectl_kustomize_where_kubectl_is_installed(string environment)
    {
        IReadOnlyList<YamlResource> rendered;
        if (ProcessRunner.FindOnPath("kubectl") is { } kubectl)
        {
            var result = await ProcessRunner.RunAsync(kubectl, ["kustomize", Deployables.OverlayDirectory(environment)],
                Repository.Root, TimeSpan.FromMinutes(2));
            result.ExitCode.Should().Be(0, result.Output);
            rendered = YamlResource.LoadDocuments(result.StandardOutput)
                .Select(node => new YamlResource($"kubectl kustomize overlays/{environment}", (YamlDotNet.RepresentationModel.YamlMappingNode)node))
                .ToList();
        }
        else
        {
            Console.WriteLine("kubectl not found: checking the in-process rendering instead (patches not applied).");
            rendered = Deployables.Overlay(environment).Resources;
        }

        var failures = rendered.SelectMany(r => r.IsDapr ? DaprResourceSchema.Check(r) : LoadStrictly(r)).ToList();
        failures.AddRange(LeftoverPlaceholders(rendered, environment));
        rendered.Select(r => r.Kind).Should().Contain(["Deployment", "Component", "Configuration", "Resiliency", "Job"]);
        failures.Should().BeEmpty();
    }

    private static bool IsManifest(string file) =>
        Path.GetFileName(file) != "kustomization.yaml" && file.EndsWith(".yaml", StringComparison.Ordinal)
        && YamlResource.LoadDocuments(File.ReadAllText(file)).All(d => d is YamlDotNet.RepresentationModel.YamlMappingNode);

    private static IEnumerable<string> LoadStrictly(YamlResource resource)
    {
        try
        {
            var objects = KubernetesYaml.LoadAllFromString(resource.ToYaml(), strict: true);
            return objects.Count == 1 ? [] : [$"{resource}: loaded as {objects.Count} objects"];
        }
        catch (Exception e)
        {
            return [$"{resource}: {e.GetType().Name}: {e.Message}"];
        }
    }

    /// <summary>
    /// A placeholder is a key of the overlay's azure-settings.env written in a manifest value (REDIS_HOST:6380,
    /// CATALOG_CLIENT_ID); <c>$(SQL_SERVER_FQDN)</c> is not one: Kubernetes expands it from the container's envFrom.
    /// </summary>
    private static IEnumerable<string> LeftoverPlaceholders(IEnumerable<YamlResource> resources, string environment)
    {
        var keys = Deployables.PlaceholderKeys(environment);
        foreach (var resource in resources.Where(r => r.Kind != "ConfigMap"))
        foreach (var (path, value) in Yaml.AllScalars(resource.Node))
        {
            var withoutReferences = Regex.Replace(value, @"\$\([A-Z0-9_]+\)", "");
            foreach (var key in keys.Where(k => Regex.IsMatch(withoutReferences, $@"(?<![A-Za-z0-9_]){k}(?![A-Za-z0-9_])")))
                yield return $"{resource}: {path} still holds the placeholder {key}";
        }
    }
}
