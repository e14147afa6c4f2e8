using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LocalSidecar.Configuration;

/// <summary>
/// Decodes Configuration files the way daprd's gopkg.in/yaml.v3 decoding into its Configuration struct does: only the
/// first document of a file, unknown fields ignored, a field a file leaves out (or sets to a bare null) keeps what
/// the defaults or an earlier file gave it, a list is replaced as a whole, and a value of the wrong shape is an error.
/// </summary>
internal sealed class ConfigurationReader
{
    private IReadOnlyList<(string Store, string? DefaultAccess)> _secretScopes = [];

    public string? Name { get; private set; }
    public AccessControlSpec? AccessControl { get; private set; } = DaprConfiguration.DefaultAccessControl;
    public List<string> Warnings { get; } = [];

    public void Read(string file, string text)
    {
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.FirstOrDefault()?.RootNode;
        }
        catch (YamlException e)
        {
            throw new ConfigurationException(file, $"not valid YAML (line {e.Start.Line}): {e.Message}");
        }

        try
        {
            if (root is null || IsNull(root))
                return;
            var document = Mapping(root, "the file");
            if (Scalar(Child(document, "kind"), "kind") is { } kind && kind != "Configuration")
                Warnings.Add($"{file}: kind is '{kind}', not 'Configuration' (daprd reads its spec as a Configuration anyway)");
            if (Child(document, "metadata") is { } metadata && !IsNull(metadata))
                Name = Scalar(Child(Mapping(metadata, "metadata"), "name"), "metadata.name") ?? Name;
            if (Child(document, "spec") is not { } spec || IsNull(spec))
                return;
            var specMap = Mapping(spec, "spec");
            if (Child(specMap, "accessControl") is { } accessControl)
                AccessControl = IsNull(accessControl) ? null : ReadAccessControl(Mapping(accessControl, "accessControl"), AccessControl);
            if (Child(specMap, "secrets") is { } secrets && !IsNull(secrets))
                ReadSecrets(Mapping(secrets, "secrets"));
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationException(file, e.Message);
        }
    }

    private static AccessControlSpec ReadAccessControl(YamlMappingNode node, AccessControlSpec? current)
    {
        current ??= new AccessControlSpec("", "", null); // yaml.v3 allocates a zero value for a nil pointer
        var policies = current.Policies;
        if (Child(node, "policies") is { } list)
            policies = IsNull(list) ? null : Sequence(list, "accessControl.policies").Select(ReadPolicy).ToList();
        return new AccessControlSpec(
            Scalar(Child(node, "defaultAction"), "accessControl.defaultAction") ?? current.DefaultAction,
            Scalar(Child(node, "trustDomain"), "accessControl.trustDomain") ?? current.TrustDomain,
            policies);
    }

    private static AppPolicySpec ReadPolicy(YamlNode item)
    {
        if (IsNull(item))
            return new AppPolicySpec("", "", "", "", []);
        var node = Mapping(item, "accessControl.policies[]");
        var operations = Child(node, "operations") is { } ops && !IsNull(ops)
            ? Sequence(ops, "operations").Select(ReadOperation).ToList()
            : [];
        return new AppPolicySpec(
            Scalar(Child(node, "appId"), "appId") ?? "",
            Scalar(Child(node, "defaultAction"), "defaultAction") ?? "",
            Scalar(Child(node, "trustDomain"), "trustDomain") ?? "",
            Scalar(Child(node, "namespace"), "namespace") ?? "",
            operations);
    }

    private static AppOperationSpec ReadOperation(YamlNode item)
    {
        if (IsNull(item))
            return new AppOperationSpec("", [], "");
        var node = Mapping(item, "operations[]");
        var verbs = Child(node, "httpVerb") is { } list && !IsNull(list)
            ? Sequence(list, "httpVerb").Select(v => Scalar(v, "httpVerb[]") ?? "").ToList()
            : [];
        return new AppOperationSpec(Scalar(Child(node, "name"), "name") ?? "", verbs, Scalar(Child(node, "action"), "action") ?? "");
    }

    private void ReadSecrets(YamlMappingNode secrets)
    {
        if (Child(secrets, "scopes") is not { } scopes)
            return;
        _secretScopes = IsNull(scopes) ? [] : Sequence(scopes, "secrets.scopes").Select(ReadSecretScope).ToList();
    }

    private static (string Store, string? DefaultAccess) ReadSecretScope(YamlNode item)
    {
        if (IsNull(item))
            return ("", null);
        var node = Mapping(item, "secrets.scopes[]");
        return (Scalar(Child(node, "storeName"), "storeName") ?? "", Scalar(Child(node, "defaultAccess"), "defaultAccess"));
    }

    /// <summary>daprd's sortAndValidateSecretsConfiguration: the one check it makes on a section we do not enforce.</summary>
    public void ValidateSecrets(string file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (store, access) in _secretScopes)
        {
            if (!seen.Add(store))
                throw new ConfigurationException(file, $"{store} storeName is repeated in secrets configuration");
            if (!string.IsNullOrEmpty(access)
                && !access.Equals(AccessControlList.Allow, StringComparison.OrdinalIgnoreCase)
                && !access.Equals(AccessControlList.Deny, StringComparison.OrdinalIgnoreCase))
                throw new ConfigurationException(file, $"defaultAccess {access} can be either allow or deny");
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Tag.IsEmpty || scalar.Tag.Value == "tag:yaml.org,2002:null")
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A string field: any scalar is taken as text (yaml.v3 does), a bare null leaves the field as it was.</summary>
    private static string? Scalar(YamlNode? node, string field) => node switch
    {
        null => null,
        _ when IsNull(node) => null,
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new InvalidDataException($"line {node.Start.Line}: {field} must be a string, not a {Shape(node)}"),
    };

    private static YamlMappingNode Mapping(YamlNode node, string field) => node as YamlMappingNode
        ?? throw new InvalidDataException($"line {node.Start.Line}: {field} must be a mapping, not a {Shape(node)}");

    private static YamlSequenceNode Sequence(YamlNode node, string field) => node as YamlSequenceNode
        ?? throw new InvalidDataException($"line {node.Start.Line}: {field} must be a list, not a {Shape(node)}");

    private static string Shape(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "scalar",
    };
}
