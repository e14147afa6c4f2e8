using System.Reflection;
using System.Text.RegularExpressions;
using DaprReservations.BuildingBlocks.Topology;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// Who publishes and who consumes each topic, read from the services' source rather than written down a second time:
/// <list type="bullet">
/// <item>a consumer is an app with a source file that maps a subscription (<c>.WithTopic(</c>); the topics are the
/// <c>Topics.X</c> constants that file names;</item>
/// <item>a publisher is an app that names <c>Topics.X</c> in a file calling <c>PublishEventAsync(</c>, or pairs it with
/// its CloudEvent type for the outbox (<c>Topics.X, EventTypes.Y</c>).</item>
/// </list>
/// A reading rule this simple is checked by <c>TopicScopeTests</c> (one publisher per topic, every constant known).
/// </summary>
public static partial class CodeTopology
{
    private static readonly Lazy<Reading> Read = new(Scan);

    private sealed record Reading(
        Dictionary<string, SortedSet<string>> Publishers, Dictionary<string, SortedSet<string>> Consumers, IReadOnlyList<string> Unknown);

    /// <summary>Topic → the app ids that publish it.</summary>
    public static IReadOnlyDictionary<string, SortedSet<string>> Publishers => Read.Value.Publishers;

    /// <summary>Topic → the app ids that subscribe to it.</summary>
    public static IReadOnlyDictionary<string, SortedSet<string>> Consumers => Read.Value.Consumers;

    /// <summary>Names of <c>Topics.X</c> the source uses that are not constants of <see cref="Topics"/>.</summary>
    public static IReadOnlyList<string> UnknownConstants => Read.Value.Unknown;

    public static IReadOnlyCollection<string> TopicsPublishedBy(string appId) =>
        Publishers.Where(p => p.Value.Contains(appId)).Select(p => p.Key).ToList();

    public static IReadOnlyCollection<string> TopicsConsumedBy(string appId) =>
        Consumers.Where(c => c.Value.Contains(appId)).Select(c => c.Key).ToList();

    private static Reading Scan()
    {
        var constants = typeof(Topics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var publishers = Deployables.TopicNames.ToDictionary(t => t, _ => new SortedSet<string>());
        var consumers = Deployables.TopicNames.ToDictionary(t => t, _ => new SortedSet<string>());
        var unknown = new SortedSet<string>();

        string Topic(string constant)
        {
            if (constants.TryGetValue(constant, out var topic)) return topic;
            unknown.Add(constant);
            return constant;
        }

        foreach (var appId in AppIds.All)
        foreach (var file in SourceFiles(appId))
        {
            var source = File.ReadAllText(file);
            var named = TopicConstant().Matches(source).Select(m => Topic(m.Groups["name"].Value)).ToList();
            if (source.Contains(".WithTopic(", StringComparison.Ordinal))
                foreach (var topic in named) Add(consumers, topic, appId);
            if (source.Contains("PublishEventAsync(", StringComparison.Ordinal))
                foreach (var topic in named) Add(publishers, topic, appId);
            foreach (Match pair in OutboxPair().Matches(source))
                Add(publishers, Topic(pair.Groups["name"].Value), appId);
        }
        return new Reading(publishers, consumers, [.. unknown]);
    }

    private static void Add(Dictionary<string, SortedSet<string>> map, string topic, string appId)
    {
        if (!map.TryGetValue(topic, out var apps)) map[topic] = apps = [];
        apps.Add(appId);
    }

    private static IEnumerable<string> SourceFiles(string appId)
    {
        var sep = Path.DirectorySeparatorChar;
        return Directory.GetFiles(Repository.PathOf("services", appId), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bTopics\.(?<name>[A-Z]\w*)\b(?!\s*\()")]
    private static partial Regex TopicConstant();

    [GeneratedRegex(@"\bTopics\.(?<name>[A-Z]\w*)\s*,\s*EventTypes\.")]
    private static partial Regex OutboxPair();
}
