using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LocalSidecar.MultiApp;

/// <summary>One app of a multi-app run file, with every path already resolved to an absolute one.</summary>
public sealed record RunFileApp(
    string AppId,
    string AppDirPath,
    int? AppPort,
    int? DaprHttpPort,
    int? DaprGrpcPort,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> ResourcesPaths,
    IReadOnlyDictionary<string, string> Env,
    string AppChannelAddress,
    string AppProtocol,
    string? ConfigFilePath = null);

/// <summary>
/// The <c>dapr run -f</c> file (version 1): <c>common</c> settings applied where an app leaves a field empty, app paths
/// relative to the file's folder, other app paths relative to <c>appDirPath</c>, and the CLI's resources precedence
/// (app resourcesPaths &gt; &lt;appDirPath&gt;/.dapr/resources &gt; common resourcesPaths &gt; ~/.dapr/components) and
/// configuration precedence (app configFilePath &gt; &lt;appDirPath&gt;/.dapr/config.yaml &gt; common configFilePath &gt;
/// ~/.dapr/config.yaml), as dapr/cli pkg/runfileconfig/run_file_config_parser.go resolves them.
/// </summary>
public static class RunFile
{
    public static IReadOnlyList<RunFileApp> Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, "dapr.yaml") : path;
        if (!File.Exists(file))
            throw new RunFileException(file, "file not found");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(file))!;

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new RunFileException(file, "the run file must be a YAML mapping");
        }
        catch (YamlException ex)
        {
            throw new RunFileException(file, $"not valid YAML (line {ex.Start.Line}): {ex.Message}");
        }

        if (!int.TryParse(Scalar(root, "version"), out var version) || version == 0)
            throw new RunFileException(file, "'version' is required (version: 1)");

        var common = Child<YamlMappingNode>(root, "common");
        var commonResources = common is null ? [] : Paths(common, baseDir);
        var commonEnv = common is null ? new Dictionary<string, string>() : Env(common);
        var commonConfig = common is null ? null : ConfigFile(file, common, baseDir);
        var apps = Child<YamlSequenceNode>(root, "apps")?.Children.OfType<YamlMappingNode>().ToList();
        if (apps is null || apps.Count == 0)
            throw new RunFileException(file, "'apps' must list at least one app");

        var result = new List<RunFileApp>();
        foreach (var app in apps)
        {
            var dirText = Scalar(app, "appDirPath") ?? throw new RunFileException(file, "every app needs appDirPath");
            var appDir = Path.GetFullPath(Path.Combine(baseDir, dirText));
            var appId = Scalar(app, "appID") ?? Path.GetFileName(appDir.TrimEnd(Path.DirectorySeparatorChar));

            var resources = Paths(app, appDir).ToList();
            if (resources.Count == 0 && Directory.Exists(Path.Combine(appDir, ".dapr", "resources")))
                resources.Add(Path.Combine(appDir, ".dapr", "resources"));
            if (resources.Count == 0)
                resources.AddRange(commonResources);
            if (resources.Count == 0)
                resources.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dapr", "components"));

            var env = new Dictionary<string, string>(commonEnv);
            foreach (var (k, v) in Env(app))
                env[k] = v; // the app's env wins
            var config = ConfigFile(file, app, appDir) ?? ExistingFile(Path.Combine(appDir, ".dapr", "config.yaml")) ?? commonConfig
                ?? ExistingFile(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dapr", "config.yaml"));
            var command = Child<YamlSequenceNode>(app, "command")?.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList() ?? [];

            result.Add(new RunFileApp(
                appId, appDir,
                Port(file, app, "appPort"), Port(file, app, "daprHTTPPort"), Port(file, app, "daprGRPCPort"),
                command, resources, env,
                Scalar(app, "appChannelAddress") ?? "127.0.0.1",
                Scalar(app, "appProtocol") ?? (common is null ? null : Scalar(common, "appProtocol")) ?? "http",
                config));
        }

        var duplicate = result.GroupBy(a => a.AppId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new RunFileException(file, $"app id '{duplicate.Key}' appears more than once");
        return result;
    }

    private static IEnumerable<string> Paths(YamlMappingNode node, string relativeTo)
    {
        var list = Child<YamlSequenceNode>(node, "resourcesPaths")?.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList() ?? [];
        if (Scalar(node, "resourcesPath") is { Length: > 0 } single)
            list.Add(single); // deprecated single path, merged as the CLI does
        return list.Where(p => p.Length > 0).Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(relativeTo, p)))).Distinct();
    }

    /// <summary>configFilePath, relative to <paramref name="relativeTo"/>; the CLI refuses a path that does not exist.</summary>
    private static string? ConfigFile(string file, YamlMappingNode node, string relativeTo)
    {
        if (Scalar(node, "configFilePath") is not { Length: > 0 } text)
            return null;
        var path = Path.GetFullPath(Path.Combine(relativeTo, text));
        return File.Exists(path) ? path : throw new RunFileException(file, $"configFilePath '{text}' ({path}) does not exist");
    }

    private static string? ExistingFile(string path) => File.Exists(path) ? path : null;

    private static Dictionary<string, string> Env(YamlMappingNode node) =>
        Child<YamlMappingNode>(node, "env")?.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => (kv.Value as YamlScalarNode)?.Value ?? "") ?? [];

    private static int? Port(string file, YamlMappingNode node, string key)
    {
        var text = Scalar(node, key);
        if (text is null)
            return null;
        return int.TryParse(text, out var port) && port is > 0 and <= 65535 ? port
            : throw new RunFileException(file, $"{key} '{text}' is not a port");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static T? Child<T>(YamlMappingNode node, string key) where T : YamlNode =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as T : null;
}

public sealed class RunFileException(string file, string message) : Exception($"{file}: {message}");
