using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// An in-process reading of a kustomization tree, enough to validate it without kubectl: it follows resources and
/// components (every path must exist), generates ConfigMaps from env files, applies image overrides and
/// replacements, and checks that each JSON patch addresses fields that exist in its targets. It does not apply the
/// patches themselves (kubectl does that in <c>OverlayRenderingTests</c> where it is installed).
/// </summary>
public sealed class KustomizeBuild
{
    private static readonly HashSet<string> KnownFields =
        ["apiVersion", "kind", "namespace", "labels", "resources", "components", "configMapGenerator", "images", "patches", "replacements"];

    private readonly List<(string Dir, YamlMappingNode Patch)> _patches = [];
    private readonly List<(string Dir, YamlMappingNode Image)> _images = [];
    private readonly List<(string Dir, YamlMappingNode Replacement)> _replacements = [];

    public List<YamlResource> Resources { get; } = [];
    public List<string> Problems { get; } = [];
    /// <summary>Every file the tree reads (kustomizations, manifests, patches, env files), full paths.</summary>
    public HashSet<string> FilesRead { get; } = [];

    public static KustomizeBuild Load(string directory)
    {
        var build = new KustomizeBuild();
        build.Accumulate(Path.GetFullPath(directory), expectComponent: false);
        build.CheckPatches();
        build.ApplyImages();
        build.ApplyReplacements();
        return build;
    }

    public IEnumerable<YamlResource> OfKind(string kind) => Resources.Where(r => r.Kind == kind);

    public YamlResource? Find(string kind, string name) => Resources.FirstOrDefault(r => r.Kind == kind && r.Name == name);

    private void Accumulate(string dir, bool expectComponent)
    {
        var file = Path.Combine(dir, "kustomization.yaml");
        if (!File.Exists(file)) { Problems.Add($"{Repository.Relative(dir)}: no kustomization.yaml"); return; }
        FilesRead.Add(file);
        var k = YamlResource.LoadFile(file).Single().Node;
        var where = Repository.Relative(file);

        var kind = k.Scalar("kind");
        if (kind != (expectComponent ? "Component" : "Kustomization"))
            Problems.Add($"{where}: kind {kind}, expected {(expectComponent ? "Component" : "Kustomization")}");
        foreach (var unknown in k.Keys().Where(key => !KnownFields.Contains(key)))
            Problems.Add($"{where}: field '{unknown}' is not understood by this check; extend KustomizeBuild");

        foreach (var entry in k.Strings("resources"))
        {
            var path = Path.GetFullPath(Path.Combine(dir, entry));
            if (Directory.Exists(path)) Accumulate(path, expectComponent: false);
            else if (File.Exists(path)) { FilesRead.Add(path); Resources.AddRange(YamlResource.LoadFile(path)); }
            else Problems.Add($"{where}: resource '{entry}' does not exist");
        }
        foreach (var entry in k.Strings("components"))
        {
            var path = Path.GetFullPath(Path.Combine(dir, entry));
            if (Directory.Exists(path)) Accumulate(path, expectComponent: true);
            else Problems.Add($"{where}: component '{entry}' does not exist");
        }
        foreach (var generator in k.Sequence("configMapGenerator")?.Children.OfType<YamlMappingNode>() ?? [])
            Resources.Add(GenerateConfigMap(dir, where, generator));

        _patches.AddRange(Items(k, "patches").Select(p => (dir, p)));
        _images.AddRange(Items(k, "images").Select(i => (dir, i)));
        _replacements.AddRange(Items(k, "replacements").Select(r => (dir, r)));

        var ns = k.Scalar("namespace");
        if (ns is not null)
            foreach (var resource in Resources.Where(r => r.Kind != "Namespace"))
                SetScalar(resource.Node, ["metadata", "namespace"], ns);
    }

    private YamlResource GenerateConfigMap(string dir, string where, YamlMappingNode generator)
    {
        var data = new YamlMappingNode();
        foreach (var envFile in generator.Strings("envs"))
        {
            var path = Path.GetFullPath(Path.Combine(dir, envFile));
            if (!File.Exists(path)) { Problems.Add($"{where}: env file '{envFile}' does not exist"); continue; }
            FilesRead.Add(path);
            foreach (var line in File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var eq = line.IndexOf('=');
                if (eq <= 0) { Problems.Add($"{Repository.Relative(path)}: '{line}' is not KEY=VALUE"); continue; }
                data.Add(line[..eq], line[(eq + 1)..]);
            }
        }
        var node = new YamlMappingNode
        {
            { "apiVersion", "v1" }, { "kind", "ConfigMap" },
            { "metadata", new YamlMappingNode { { "name", generator.Scalar("name") ?? "" } } },
            { "data", data },
        };
        return new YamlResource(Path.Combine(dir, "kustomization.yaml"), node);
    }

    private IEnumerable<YamlResource> Select(YamlMappingNode? selector) =>
        Resources.Where(r => selector is not null
            && (selector.Scalar("kind") is not { } kind || r.Kind == kind)
            && (selector.Scalar("name") is not { } name || r.Name == name)
            && (selector.Scalar("group") is not { } group || r.Group == group));

    private void CheckPatches()
    {
        foreach (var (dir, patch) in _patches)
        {
            var file = Path.GetFullPath(Path.Combine(dir, patch.Scalar("path") ?? ""));
            var where = $"{Repository.Relative(dir)}: patch '{patch.Scalar("path")}'";
            if (!File.Exists(file)) { Problems.Add($"{where} does not exist"); continue; }
            FilesRead.Add(file);
            var targets = Select(patch.Map("target")).ToList();
            if (targets.Count == 0) { Problems.Add($"{where} targets no resource"); continue; }
            var operations = YamlResource.LoadDocuments(File.ReadAllText(file)).SingleOrDefault() as YamlSequenceNode;
            if (operations is null) { Problems.Add($"{where} is not a JSON 6902 patch (a list of operations)"); continue; }
            foreach (var op in operations.Children.OfType<YamlMappingNode>())
            foreach (var target in targets)
            {
                var path = op.Scalar("path") ?? "";
                // replace/remove need the field itself; add needs its parent.
                var mustExist = op.Scalar("op") == "add" ? FieldPath.SplitPointer(path).SkipLast(1) : FieldPath.SplitPointer(path);
                if (FieldPath.Walk(target.Node, mustExist) is null)
                    Problems.Add($"{where}: {op.Scalar("op")} {path} does not resolve in {target}");
            }
        }
    }

    private void ApplyImages()
    {
        var containers = Resources
            .SelectMany(r => r.Node.Sequence("spec.template.spec.containers")?.Children.OfType<YamlMappingNode>() ?? [])
            .ToList();
        foreach (var (dir, image) in _images)
        {
            var name = image.Scalar("name");
            var matching = containers.Where(c => c.Scalar("image") == name).ToList();
            if (matching.Count == 0) Problems.Add($"{Repository.Relative(dir)}: image '{name}' is used by no container");
            var newImage = $"{image.Scalar("newName") ?? name}{(image.Scalar("newTag") is { } tag ? ":" + tag : "")}";
            foreach (var container in matching)
                container.Children[new YamlScalarNode("image")] = new YamlScalarNode(newImage);
        }
    }

    private void ApplyReplacements()
    {
        foreach (var (dir, replacement) in _replacements)
        {
            var where = Repository.Relative(dir);
            var sources = Select(replacement.Map("source")).ToList();
            var sourcePath = replacement.Scalar("source.fieldPath") ?? "";
            var value = sources.Count == 1 ? sources[0].Node.Scalar(sourcePath) : null;
            if (value is null) { Problems.Add($"{where}: replacement source {Describe(replacement.Map("source"))} {sourcePath} has no value"); continue; }
            foreach (var target in Items(replacement, "targets"))
            {
                var rejected = Items(target, "reject").SelectMany(Select).ToHashSet();
                var selected = Select(target.Map("select")).Where(r => !rejected.Contains(r)).ToList();
                if (selected.Count == 0) Problems.Add($"{where}: replacement target {Describe(target.Map("select"))} selects nothing");
                foreach (var resource in selected)
                foreach (var fieldPath in target.Strings("fieldPaths"))
                {
                    // As kustomize: a path that reaches no field is an error (with "*", when the list is missing or empty).
                    var scalars = FieldPath.FindAll(resource.Node, fieldPath).OfType<YamlScalarNode>().ToList();
                    if (scalars.Count == 0)
                    { Problems.Add($"{where}: {fieldPath} not found in {resource}"); continue; }
                    foreach (var scalar in scalars)
                        scalar.Value = Replace(scalar.Value ?? "", value, target.Map("options"));
                }
            }
        }
    }

    private static string Replace(string current, string value, YamlMappingNode? options)
    {
        if (options?.Scalar("delimiter") is not { } delimiter) return value;
        var parts = current.Split(delimiter);
        var index = int.Parse(options.Scalar("index") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        parts[index] = value;
        return string.Join(delimiter, parts);
    }

    private static IEnumerable<YamlMappingNode> Items(YamlNode node, string field) =>
        node.Sequence(field)?.Children.OfType<YamlMappingNode>() ?? [];

    private static string Describe(YamlMappingNode? selector) =>
        selector is null ? "(none)" : string.Join(",", selector.Entries().Select(e => $"{e.Key}={(e.Value as YamlScalarNode)?.Value}"));

    private static void SetScalar(YamlMappingNode node, string[] path, string value)
    {
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(path[i]), out var child))
            {
                child = new YamlMappingNode();
                node.Children[new YamlScalarNode(path[i])] = child;
            }
            node = (YamlMappingNode)child;
        }
        node.Children[new YamlScalarNode(path[^1])] = new YamlScalarNode(value);
    }
}
