namespace LocalSidecar.Configuration;

/// <summary>One operation of an app policy as daprd keeps it for lookup: the action per HTTP verb, and for calls without one.</summary>
public sealed record OperationActions(string OperationName, IReadOnlyDictionary<string, string> VerbAction, string OperationAction);

/// <summary>
/// daprd's operation matcher, ported line by line from dapr/dapr pkg/config/acl_trie.go (v1.16) because its quirks
/// decide who may call what: one node per "/segment"; a node holding an operation matches every path below it (so
/// "/orders" also allows "/orders/1"), "/*" matches exactly one last segment, "/**" matches any rest, "*" inside a
/// segment is a glob ("/op*"); children are tried in insertion order and the first match wins, without backtracking;
/// a second policy for the same operation name is ignored.
/// </summary>
public sealed class OperationTrie
{
    private const string SingleStageWildcard = "/*";
    private const string MultiStageWildcard = "/**";
    private const char Separator = '/';

    private readonly Node _root = new("/", null);

    private sealed class Node(string segment, OperationActions? data)
    {
        public string Segment { get; } = segment;
        public OperationActions? Data { get; set; } = data;
        public List<Node>? Children { get; set; }
    }

    public void Put(string operation, OperationActions data)
    {
        var parts = operation.Split(Separator);
        var node = _root;
        for (var index = 1; index < parts.Length; index++)
        {
            var segment = Separator + parts[index];
            var last = index == parts.Length - 1;
            var existing = node.Children?.FirstOrDefault(c => c.Segment == segment);
            if (existing is null)
            {
                var created = new Node(segment, last ? data : null);
                (node.Children ??= []).Add(created);
                node = created;
            }
            else if (last)
            {
                existing.Data ??= data;
            }
            else
            {
                node = existing;
            }
        }
    }

    public OperationActions? Search(string operation)
    {
        var parts = operation.Split(Separator);
        var node = _root;
        for (var index = 1; index < parts.Length; index++)
        {
            var isEnd = index == parts.Length - 1;
            var segment = Separator + parts[index];
            if (FindChild(node, segment, isEnd) is not { } child)
                return null;
            node = child;

            if (node.Data is not null)
            {
                if (!isEnd && node.Segment.EndsWith(SingleStageWildcard, StringComparison.Ordinal)
                           && !node.Segment.EndsWith(MultiStageWildcard, StringComparison.Ordinal))
                    continue;
                return node.Data;
            }

            if (isEnd && FindChild(node, SingleStageWildcard, isEnd)?.Data is { } wildcard)
                return wildcard;
        }

        return null;
    }

    private static Node? FindChild(Node node, string segment, bool isEnd)
    {
        if (node.Children is null)
            return null;
        foreach (var child in node.Children)
        {
            if (child.Segment == segment)
                return child;
            if (child.Segment == SingleStageWildcard)
            {
                if (isEnd)
                    return child;
                continue;
            }

            if (child.Segment == MultiStageWildcard)
                return child;
            if (IsMatch(segment, child.Segment))
                return child;
        }

        return null;
    }

    /// <summary>'*' matches any run of characters, including none (acl_trie.go isMatch).</summary>
    public static bool IsMatch(string target, string pattern)
    {
        var matches = new bool[target.Length + 1, pattern.Length + 1];
        matches[0, 0] = true;
        for (var j = 1; j <= pattern.Length && pattern[j - 1] == '*'; j++)
            matches[0, j] = true;
        for (var i = 1; i <= target.Length; i++)
        {
            for (var j = 1; j <= pattern.Length; j++)
            {
                if (pattern[j - 1] == '*')
                    matches[i, j] = matches[i, j - 1] || matches[i - 1, j];
                else if (target[i - 1] == pattern[j - 1])
                    matches[i, j] = matches[i - 1, j - 1];
            }
        }

        return matches[target.Length, pattern.Length];
    }
}
