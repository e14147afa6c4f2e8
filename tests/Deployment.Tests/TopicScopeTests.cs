using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// Pub/sub topic scopes: on the <c>pubsub</c> component of components/local and components/azure, each topic may be
/// published only by the app that publishes it in the code and subscribed only by the apps that subscribe to it in the
/// code (<see cref="CodeTopology"/>), judged the way daprd judges scopes (<see cref="DaprTopicScopes"/>).
/// </summary>
public class TopicScopeTests
{
    private const string MadeUpTopic = "payment.succeeded.v2";

    [Fact]
    public void The_code_names_one_publisher_per_topic_and_only_known_topics()
    {
        CodeTopology.UnknownConstants.Should().BeEmpty("every Topics.X the services use is a constant of Topology/DaprNames.cs");
        foreach (var topic in Deployables.TopicNames)
            CodeTopology.Publishers[topic].Should().ContainSingle($"{topic} has one owner that publishes it");
        CodeTopology.TopicsPublishedBy(AppIds.Web).Should().BeEmpty();
        CodeTopology.TopicsConsumedBy(AppIds.Web).Should().BeEmpty();
        foreach (var appId in AppIds.All.Where(a => a != AppIds.Web))
            CodeTopology.TopicsPublishedBy(appId).Should().NotBeEmpty($"{appId} publishes events; the reading rule must find them");
    }

    [Theory]
    [MemberData(nameof(DaprComponentTests.ComponentSets), MemberType = typeof(DaprComponentTests))]
    public void Each_topic_may_be_published_only_by_its_publisher_and_read_only_by_its_consumers(string set)
    {
        var scopes = DaprTopicScopes.From(Deployables.Component(Deployables.ComponentSet(set), Components.PubSub));
        var wrong = new List<string>();

        foreach (var appId in MeshConfigurations.Callers)
        foreach (var topic in Deployables.TopicNames.Append(MadeUpTopic))
        {
            var publishes = CodeTopology.Publishers.TryGetValue(topic, out var p) && p.Contains(appId);
            var consumes = CodeTopology.Consumers.TryGetValue(topic, out var c) && c.Contains(appId);
            if (scopes.MayPublish(appId, topic) != publishes) wrong.Add($"{appId} {(publishes ? "must" : "must not")} publish {topic}");
            if (scopes.MaySubscribe(appId, topic) != consumes) wrong.Add($"{appId} {(consumes ? "must" : "must not")} subscribe to {topic}");
        }

        wrong.Should().BeEmpty();
    }

    [Fact]
    public void Local_and_azure_scope_the_topics_alike()
    {
        string[] settings = ["allowedTopics", "protectedTopics", "publishingScopes", "subscriptionScopes"];
        var local = Deployables.Component(Deployables.ComponentSet("local"), Components.PubSub);
        var azure = Deployables.Component(Deployables.ComponentSet("azure"), Components.PubSub);

        foreach (var setting in settings)
            Deployables.MetadataValue(local, setting).Should().Be(Deployables.MetadataValue(azure, setting), setting);
    }

    [Fact]
    public void Every_publisher_and_consumer_loads_the_azure_pubsub_component()
    {
        var loaded = Deployables.Scopes(Deployables.Component(Deployables.ComponentSet("azure"), Components.PubSub));

        CodeTopology.Publishers.Values.Concat(CodeTopology.Consumers.Values).SelectMany(apps => apps).Distinct()
            .Should().BeSubsetOf(loaded);
    }

    [Fact]
    public void Without_protected_topics_an_app_the_scopes_do_not_name_could_publish_anything()
    {
        // Why protectedTopics is set: daprd treats an app that no scope names as unrestricted ("web=" names web).
        var open = new DaprTopicScopes(new Dictionary<string, string> { ["publishingScopes"] = "payment=payment.succeeded; web=" });
        var closed = new DaprTopicScopes(new Dictionary<string, string>
        {
            ["publishingScopes"] = "payment=payment.succeeded; web=",
            ["protectedTopics"] = "payment.succeeded",
        });

        open.MayPublish(AppIds.Web, Topics.PaymentSucceeded).Should().BeFalse();
        open.MayPublish("intruder", Topics.PaymentSucceeded).Should().BeTrue();
        closed.MayPublish("intruder", Topics.PaymentSucceeded).Should().BeFalse();
        closed.MayPublish(AppIds.Payment, Topics.PaymentSucceeded).Should().BeTrue();
    }
}
