using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LocalSidecar.Components;

/// <summary>
/// Reads the same resource files daprd reads (<c>apiVersion: dapr.io/v1alpha1</c>, <c>kind: Component</c>, several
/// <c>---</c> documents per file, <c>scopes</c>, <c>envRef</c>, <c>{appID}</c> placeholders).
/// daprd skips a file it cannot parse (with a log line) and refuses to start on a component type it does not
/// know; so do we, but every problem names the file and never surfaces as an unhandled exception.
/// </summary>
public static class ComponentLoader
{
    /// <summary>Component types this sidecar serves. Everything else is reported, not silently ignored.</summary>
    public static readonly IReadOnlySet<string> SupportedTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "state.redis", "state.in-memory", "lock.redis", "pubsub.redis", "pubsub.in-memory",
    };

    /// <summary>Other resource kinds daprd reads from the same folders; accepted and not served here.</summary>
    private static readonly HashSet<string> KnownOtherKinds = new(StringComparer.Ordinal)
    {
        "Configuration", "Resiliency", "Subscription", "HTTPEndpoint",
    };

    public static ComponentLoadResult Load(IEnumerable<string> resourcesPaths, string appId, string? @namespace = null)
    {
        var components = new List<ComponentSpec>();
        var problems = new List<ComponentProblem>();
        foreach (var path in resourcesPaths)
        {
            if (!Directory.Exists(path))
            {
                problems.Add(new ComponentProblem(path, "resources path does not exist", Fatal: true));
                continue;
            }

            var files = Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
                LoadFile(file, File.ReadAllText(file), appId, @namespace, components, problems);
        }

        foreach (var duplicate in components.GroupBy(c => c.Name).Where(g => g.Count() > 1))
        {
            problems.Add(new ComponentProblem(
                string.Join(", ", duplicate.Select(c => c.SourceFile)),
                $"component name '{duplicate.Key}' is defined more than once", Fatal: true));
        }

        return new ComponentLoadResult(components, problems);
    }

    /// <summary>Parses one file's text; public so tests can feed it broken YAML without touching disk.</summary>
    public static void LoadFile(string file, string text, string appId, string? @namespace,
        List<ComponentSpec> components, List<ComponentProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            problems.Add(new ComponentProblem(file,
                $"not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {ex.Message}; file skipped", Fatal: false));
            return;
        }

        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
                continue; // an empty document, e.g. after a trailing '---'
            if (document.RootNode is not YamlMappingNode root)
            {
                problems.Add(new ComponentProblem(file, "a resource document must be a YAML mapping; document skipped", Fatal: false));
                continue;
            }

            var kind = Scalar(root, "kind");
            if (kind is null || KnownOtherKinds.Contains(kind))
                continue;
            if (kind != "Component")
            {
                problems.Add(new ComponentProblem(file, $"unknown resource kind '{kind}'; document skipped", Fatal: false));
                continue;
            }

            try
            {
                var spec = ParseComponent(file, root, appId, @namespace);
                if (spec is null)
                    continue; // scoped to other apps
                if (!SupportedTypes.Contains(spec.Type))
                {
                    problems.Add(new ComponentProblem(file,
                        $"component '{spec.Name}' has type '{spec.Type}/{spec.Version}', which the local sidecar cannot serve " +
                        $"(it serves {string.Join(", ", SupportedTypes.Order())})", Fatal: true));
                    continue;
                }

                components.Add(spec);
            }
            catch (InvalidDataException ex)
            {
                problems.Add(new ComponentProblem(file, ex.Message, Fatal: true));
            }
        }
    }

    private static ComponentSpec? ParseComponent(string file, YamlMappingNode root, string appId, string? @namespace)
    {
        var metadataNode = Child<YamlMappingNode>(root, "metadata");
        var name = metadataNode is null ? null : Scalar(metadataNode, "name");
        if (string.IsNullOrWhiteSpace(name))
            throw new InvalidDataException("component has no metadata.name");

        var spec = Child<YamlMappingNode>(root, "spec") ?? throw new InvalidDataException($"component '{name}' has no spec");
        var type = Scalar(spec, "type");
        if (string.IsNullOrWhiteSpace(type))
            throw new InvalidDataException($"component '{name}' has no spec.type");

        var scopes = Child<YamlSequenceNode>(root, "scopes")?.Children.OfType<YamlScalarNode>()
            .Select(s => s.Value ?? "").Where(s => s.Length > 0).ToList() ?? [];
        if (scopes.Count > 0 && !scopes.Contains(appId, StringComparer.Ordinal))
            return null;

        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Child<YamlSequenceNode>(spec, "metadata") is { } items)
        {
            foreach (var item in items.Children.OfType<YamlMappingNode>())
            {
                var key = Scalar(item, "name");
                if (string.IsNullOrEmpty(key))
                    throw new InvalidDataException($"component '{name}' has a metadata item without a name");
                metadata[key] = ResolveValue(name, key, item, appId, @namespace);
            }
        }

        return new ComponentSpec(name, type, Scalar(spec, "version") ?? "v1", metadata, scopes, file);
    }

    private static string ResolveValue(string component, string key, YamlMappingNode item, string appId, string? @namespace)
    {
        if (Scalar(item, "envRef") is { } env)
        {
            if (env == "APP_API_TOKEN" || env.StartsWith("DAPR_", StringComparison.Ordinal))
                throw new InvalidDataException($"component '{component}' metadata '{key}': envRef '{env}' is not allowed");
            return Environment.GetEnvironmentVariable(env) ?? "";
        }

        if (item.Children.ContainsKey(new YamlScalarNode("secretKeyRef")))
            throw new InvalidDataException(
                $"component '{component}' metadata '{key}' uses secretKeyRef; the local sidecar has no secret store, use value or envRef");

        var value = Scalar(item, "value") ?? "";
        var ns = string.IsNullOrEmpty(@namespace) ? appId : $"{@namespace}.{appId}";
        return value.Replace("{appID}", appId, StringComparison.Ordinal)
            .Replace("{namespace}", ns, StringComparison.Ordinal)
            .Replace("{podName}", Environment.MachineName, StringComparison.Ordinal)
            .Replace("{uuid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static T? Child<T>(YamlMappingNode node, string key) where T : YamlNode =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as T : null;
}
