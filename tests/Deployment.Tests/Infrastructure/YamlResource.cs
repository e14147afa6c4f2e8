using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>One YAML document that is a Kubernetes-style object, with the file it came from.</summary>
public sealed class YamlResource(string file, YamlMappingNode node)
{
    public string File { get; } = file;
    public YamlMappingNode Node { get; } = node;

    public string ApiVersion => Node.Scalar("apiVersion") ?? "";
    public string Kind => Node.Scalar("kind") ?? "";
    public string Name => Node.Scalar("metadata.name") ?? "";
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
    public bool IsDapr => Group == "dapr.io";

    public override string ToString() => $"{Kind}/{Name} ({Repository.Relative(File)})";

    /// <summary>Every non-empty document of a YAML file (a file may hold several, separated by ---).</summary>
    public static IReadOnlyList<YamlResource> LoadFile(string path) =>
        LoadDocuments(System.IO.File.ReadAllText(path))
            .Select(node => node as YamlMappingNode
                ?? throw new InvalidDataException($"{Repository.Relative(path)}: a document is not a mapping."))
            .Select(node => new YamlResource(path, node))
            .ToList();

    public static IEnumerable<YamlNode> LoadDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        // A document that holds only comments (or nothing) parses as an empty scalar: not a manifest.
        return stream.Documents.Select(d => d.RootNode)
            .Where(root => root is not YamlScalarNode { Value: null or "" });
    }

    public string ToYaml() => Yaml.Serialize(Node);
}

public static class Yaml
{
    public static string Serialize(YamlNode node)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    public static string? Scalar(this YamlNode node, string fieldPath) => (FieldPath.Find(node, fieldPath) as YamlScalarNode)?.Value;

    public static YamlMappingNode? Map(this YamlNode node, string fieldPath) => FieldPath.Find(node, fieldPath) as YamlMappingNode;

    public static YamlSequenceNode? Sequence(this YamlNode node, string fieldPath) => FieldPath.Find(node, fieldPath) as YamlSequenceNode;

    public static IEnumerable<string> Strings(this YamlNode node, string fieldPath) =>
        node.Sequence(fieldPath)?.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "") ?? [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode? map) =>
        map?.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", kv.Value)) ?? [];

    public static IEnumerable<string> Keys(this YamlMappingNode? map) => map.Entries().Select(e => e.Key);

    /// <summary>Every scalar of a tree, with its JSON-pointer-like location, for "no placeholder left" checks.</summary>
    public static IEnumerable<(string Path, string Value)> AllScalars(YamlNode node, string path = "")
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                yield return (path, scalar.Value ?? "");
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Entries())
                foreach (var found in AllScalars(value, $"{path}/{key}"))
                    yield return found;
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                foreach (var found in AllScalars(sequence.Children[i], $"{path}/{i}"))
                    yield return found;
                break;
        }
    }
}
