using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// Kustomize's field paths (<c>spec.metadata.[name=redisHost].value</c>, <c>spec.rules.0.host</c>, escaped dots as in
/// <c>metadata.annotations.azure\.workload\.identity/client-id</c>) and JSON pointers (<c>/spec/replicas</c>,
/// <c>~1</c> for '/'), resolved on a YamlDotNet tree.
/// </summary>
public static class FieldPath
{
    public static YamlNode? Find(YamlNode root, string fieldPath) => Walk(root, SplitFieldPath(fieldPath));

    /// <summary>Every node a field path reaches, where a <c>*</c> segment stands for each item of a list (kustomize).</summary>
    public static IReadOnlyList<YamlNode> FindAll(YamlNode root, string fieldPath)
    {
        IEnumerable<YamlNode> nodes = [root];
        foreach (var segment in SplitFieldPath(fieldPath))
            nodes = segment == "*"
                ? nodes.OfType<YamlSequenceNode>().SelectMany(s => s.Children)
                : nodes.Select(n => Walk(n, [segment])).OfType<YamlNode>();
        return nodes.ToList();
    }

    public static YamlNode? FindPointer(YamlNode root, string pointer) => Walk(root, SplitPointer(pointer));

    public static IReadOnlyList<string> SplitPointer(string pointer) =>
        pointer.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();

    public static IReadOnlyList<string> SplitFieldPath(string fieldPath)
    {
        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var inSelector = false;
        for (var i = 0; i < fieldPath.Length; i++)
        {
            var c = fieldPath[i];
            if (c == '\\' && i + 1 < fieldPath.Length) { current.Append(fieldPath[++i]); continue; }
            if (c == '[') inSelector = true;
            if (c == ']') inSelector = false;
            if (c == '.' && !inSelector) { segments.Add(current.ToString()); current.Clear(); continue; }
            current.Append(c);
        }
        segments.Add(current.ToString());
        return segments;
    }

    public static YamlNode? Walk(YamlNode? node, IEnumerable<string> segments)
    {
        foreach (var segment in segments)
        {
            node = node switch
            {
                YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode(segment), out var child) ? child : null,
                YamlSequenceNode sequence when segment.StartsWith('[') && segment.EndsWith(']') => Select(sequence, segment[1..^1]),
                YamlSequenceNode sequence when int.TryParse(segment, out var index) =>
                    index >= 0 && index < sequence.Children.Count ? sequence.Children[index] : null,
                YamlSequenceNode sequence when segment == "-" => sequence, // JSON patch "append": the list itself
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    private static YamlNode? Select(YamlSequenceNode sequence, string selector)
    {
        var parts = selector.Split('=', 2);
        return parts.Length != 2 ? null : sequence.Children.OfType<YamlMappingNode>().FirstOrDefault(item => item.Scalar(parts[0]) == parts[1]);
    }
}
