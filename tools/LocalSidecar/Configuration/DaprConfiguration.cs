namespace LocalSidecar.Configuration;

/// <summary><c>spec.accessControl</c> of a Configuration (dapr/dapr pkg/config/configuration.go AccessControlSpec).</summary>
/// <param name="Policies">Null when the file has no <c>policies</c> (daprd tells "absent" from "empty" here).</param>
public sealed record AccessControlSpec(string DefaultAction, string TrustDomain, IReadOnlyList<AppPolicySpec>? Policies);

/// <summary>One entry of <c>accessControl.policies</c>: what calls from <see cref="AppId"/> may do.</summary>
public sealed record AppPolicySpec(string AppId, string DefaultAction, string TrustDomain, string Namespace, IReadOnlyList<AppOperationSpec> Operations);

/// <summary>One entry of a policy's <c>operations</c>: a method name (prefix, <c>*</c>, <c>**</c>), verbs and allow|deny.</summary>
public sealed record AppOperationSpec(string Name, IReadOnlyList<string> HttpVerbs, string Action);

/// <summary>
/// The parts of a Dapr <c>kind: Configuration</c> file this sidecar enforces; every other section (tracing, mtls,
/// metric, features, ...) is read and ignored, as unknown fields are by daprd.
/// </summary>
public sealed class DaprConfiguration
{
    public DaprConfiguration(string? name, AccessControlSpec? accessControl, IReadOnlyList<string> files, IReadOnlyList<string> warnings)
    {
        Name = name;
        AccessControl = accessControl;
        Files = files;
        Warnings = warnings;
    }

    /// <summary>daprd's LoadDefaultConfiguration: what applies without <c>--config</c>, and what a file is merged into.</summary>
    public static AccessControlSpec DefaultAccessControl { get; } = new(AccessControlList.Allow, AccessControlList.DefaultTrustDomain, null);

    /// <summary>The configuration of a sidecar started without <c>--config</c>.</summary>
    public static DaprConfiguration Default { get; } = new(null, DefaultAccessControl, [], []);

    public string? Name { get; }

    /// <summary>Null when a file sets <c>accessControl: null</c>; daprd then enforces nothing.</summary>
    public AccessControlSpec? AccessControl { get; }

    public IReadOnlyList<string> Files { get; }

    /// <summary>Things daprd accepts silently that are probably mistakes (e.g. a file whose kind is not Configuration).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// daprd's LoadStandaloneConfiguration: each file in order, environment variables expanded ($VAR, ${VAR}), merged
    /// into the default configuration field by field (a field a file leaves out keeps its earlier value: an
    /// accessControl without defaultAction stays "allow", without trustDomain stays "public"), then parsed into the
    /// access control list (so a policy without trustDomain or namespace fails here, as daprd fails to start).
    /// Throws <see cref="ConfigurationException"/> naming the file.
    /// </summary>
    public static DaprConfiguration Load(IReadOnlyList<string> files, bool isHttp = true)
    {
        if (files.Count == 0)
            return Default;
        var reader = new ConfigurationReader();
        foreach (var file in files)
        {
            if (!File.Exists(file))
                throw new ConfigurationException(file, "configuration file not found");
            reader.Read(file, GoText.ExpandEnv(File.ReadAllText(file)));
        }

        reader.ValidateSecrets(string.Join(", ", files));

        var configuration = new DaprConfiguration(reader.Name, reader.AccessControl, files, reader.Warnings);
        try
        {
            AccessControlList.Parse(configuration.AccessControl, isHttp);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(string.Join(", ", files), e.Message);
        }

        return configuration;
    }
}

/// <summary>A configuration file daprd would refuse to start with.</summary>
public sealed class ConfigurationException(string file, string message) : Exception($"{file}: {message}")
{
    public string File { get; } = file;

    /// <summary>What is wrong, without the file name.</summary>
    public string Reason { get; } = message;
}
