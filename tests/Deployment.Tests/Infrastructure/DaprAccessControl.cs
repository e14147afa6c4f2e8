using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>The caller's identity as the callee's daprd reads it from the mTLS certificate (SPIFFE id).</summary>
public sealed record SpiffeCaller(string AppId, string Namespace, string TrustDomain);

/// <summary>
/// daprd's access-control decision for a service invocation arriving at a callee with an HTTP app, re-implemented from
/// dapr/dapr pkg/acl/acl.go (isOperationAllowedByAccessControlPolicy) and pkg/config/acl_trie.go, so the policies in
/// components/config are judged the way the sidecar will judge them, quirks included:
/// <list type="bullet">
/// <item>a <c>*</c> segment matches only as the last segment of a path (a middle <c>/*/</c> never matches), and an
/// operation ending in <c>/*</c> also matches its parent path;</item>
/// <item>a <c>**</c> segment matches any one segment; with data (the end of an operation) it matches everything below;</item>
/// <item>an operation without a wildcard at its end also matches every path below it (the first node with data wins);</item>
/// <item>the first matching child wins (insertion order), the first registration of an operation wins, one verb set per
/// operation; a verb not listed falls back to the app's default action.</item>
/// </list>
/// Operations and paths are lower-cased (HTTP app protocol). The path is the method daprd already normalised.
/// </summary>
public sealed class DaprAccessControl
{
    private readonly string _defaultAction;
    private readonly Dictionary<(string AppId, string Namespace), Policy> _policies = [];

    private DaprAccessControl(string defaultAction, string trustDomain)
    {
        _defaultAction = defaultAction;
        TrustDomain = trustDomain;
    }

    /// <summary>The callee's own trust domain (its SPIFFE id, and what callers must present to match a policy).</summary>
    public string TrustDomain { get; }

    /// <summary>Reads <c>spec.accessControl</c> of a Configuration; null when there is none (daprd then allows all).</summary>
    public static DaprAccessControl? From(YamlResource configuration)
    {
        var spec = configuration.Node.Map("spec.accessControl");
        if (spec is null) return null;
        var policies = spec.Sequence("policies")?.Children.OfType<YamlMappingNode>().ToList() ?? [];
        var defaultAction = spec.Scalar("defaultAction") ?? "";
        var trustDomain = spec.Scalar("trustDomain") ?? "";
        if (trustDomain.Length == 0 && defaultAction.Length == 0 && policies.Count == 0) return null;
        // No global action: deny when app policies exist, allow for an empty spec (ParseAccessControlSpec).
        if (defaultAction.Length == 0) defaultAction = policies.Count > 0 ? "deny" : "allow";

        var acl = new DaprAccessControl(defaultAction, trustDomain.Length == 0 ? "public" : trustDomain);
        foreach (var item in policies)
        {
            var appId = item.Scalar("appId") ?? "";
            var ns = item.Scalar("namespace") ?? "";
            var td = item.Scalar("trustDomain") ?? "";
            if (appId.Length == 0 || ns.Length == 0 || td.Length == 0)
                throw new InvalidDataException($"{configuration}: every policy needs appId, trustDomain and namespace (daprd refuses the spec)");
            var trie = new OperationTrie();
            foreach (var op in item.Sequence("operations")?.Children.OfType<YamlMappingNode>() ?? [])
            {
                var name = op.Scalar("name") ?? "";
                if (!name.StartsWith('/')) name = "/" + name;
                var action = op.Scalar("action") ?? "";
                trie.Put(name.ToLowerInvariant(), new OperationAction(op.Strings("httpVerb").ToDictionary(v => v, _ => action), action));
            }
            acl._policies[(appId, ns)] = new Policy(item.Scalar("defaultAction") ?? "", td, ns, trie);
        }
        return acl;
    }

    /// <summary>True when daprd lets <paramref name="caller"/> invoke <paramref name="verb"/> <paramref name="path"/>.</summary>
    public bool Allows(SpiffeCaller? caller, string verb, string path)
    {
        var action = _defaultAction;
        if (caller is null || !_policies.TryGetValue((caller.AppId, caller.Namespace), out var policy)
            || policy.TrustDomain != caller.TrustDomain || policy.Namespace != caller.Namespace)
            return IsAllow(action);

        if (policy.DefaultAction.Length > 0) action = policy.DefaultAction;
        var operation = (path.StartsWith('/') ? path : "/" + path).ToLowerInvariant();
        if (policy.Operations.Search(operation) is { } matched)
        {
            if (matched.Verbs.TryGetValue(verb, out var verbAction)) action = verbAction;
            else if (matched.Verbs.TryGetValue("*", out var anyVerb)) action = anyVerb;
        }
        return IsAllow(action);
    }

    private static bool IsAllow(string action) => string.Equals(action, "allow", StringComparison.OrdinalIgnoreCase);

    private sealed record Policy(string DefaultAction, string TrustDomain, string Namespace, OperationTrie Operations);

    public sealed record OperationAction(IReadOnlyDictionary<string, string> Verbs, string Action);

    /// <summary>pkg/config/acl_trie.go: one node per "/segment", children in insertion order.</summary>
    public sealed class OperationTrie
    {
        private const string Single = "/*";
        private const string Multi = "/**";
        private readonly Node _root = new("/");

        public void Put(string operation, OperationAction data)
        {
            var parts = operation.Split('/');
            var node = _root;
            for (var i = 1; i < parts.Length; i++)
            {
                var segment = "/" + parts[i];
                var existing = node.Children.FirstOrDefault(c => c.Segment == segment);
                var last = i == parts.Length - 1;
                if (existing is null)
                {
                    var created = new Node(segment) { Data = last ? data : null };
                    node.Children.Add(created);
                    node = created;
                }
                else if (last)
                {
                    existing.Data ??= data; // the first registration wins
                }
                else
                {
                    node = existing;
                }
            }
        }

        public OperationAction? Search(string operation)
        {
            var parts = operation.Split('/');
            Node? node = _root;
            for (var i = 1; i < parts.Length; i++)
            {
                var isEnd = i == parts.Length - 1;
                node = FindChild(node!, "/" + parts[i], isEnd);
                if (node is null) return null;
                if (node.Data is not null)
                {
                    // Only a "/*" node lets the walk continue below it; any other node with data is a prefix match.
                    if (!isEnd && node.Segment.EndsWith(Single, StringComparison.Ordinal) && !node.Segment.EndsWith(Multi, StringComparison.Ordinal))
                        continue;
                    return node.Data;
                }
                if (isEnd)
                {
                    // The path ends on a node without data: an operation "<path>/*" covers it.
                    var wildcard = FindChild(node, Single, isEnd: true);
                    return wildcard?.Data;
                }
            }
            return null;
        }

        private static Node? FindChild(Node node, string segment, bool isEnd)
        {
            foreach (var child in node.Children)
            {
                if (child.Segment == segment) return child;
                if (child.Segment == Single)
                {
                    if (isEnd) return child;
                    continue; // a single-segment wildcard never matches in the middle of a path
                }
                if (child.Segment == Multi) return child;
                if (GlobMatch(segment, child.Segment)) return child;
            }
            return null;
        }

        /// <summary>acl_trie.go isMatch: '*' matches any run of characters (also none), within one segment.</summary>
        private static bool GlobMatch(string target, string pattern)
        {
            var matches = new bool[target.Length + 1, pattern.Length + 1];
            matches[0, 0] = true;
            for (var j = 1; j <= pattern.Length && pattern[j - 1] == '*'; j++) matches[0, j] = true;
            for (var i = 1; i <= target.Length; i++)
            for (var j = 1; j <= pattern.Length; j++)
            {
                if (pattern[j - 1] == '*') matches[i, j] = matches[i, j - 1] || matches[i - 1, j];
                else if (target[i - 1] == pattern[j - 1]) matches[i, j] = matches[i - 1, j - 1];
            }
            return matches[target.Length, pattern.Length];
        }

        private sealed class Node(string segment)
        {
            public string Segment { get; } = segment;
            public OperationAction? Data { get; set; }
            public List<Node> Children { get; } = [];
        }
    }
}
