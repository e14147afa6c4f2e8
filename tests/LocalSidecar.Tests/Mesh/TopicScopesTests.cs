using LocalSidecar.PubSub;

namespace LocalSidecar.Tests.Mesh;

/// <summary>
/// daprd's topic scope decisions, case by case from dapr/dapr pkg/scopes/scopes_test.go, pkg/runtime/pubsub/adapter_test.go
/// and the component files of tests/integration/suite/daprd/pubsub/scopes (v1.16).
/// </summary>
public sealed class TopicScopesTests
{
    private static Dictionary<string, string> Meta(string key, string value) => new() { [key] = value };

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("topic1,topic2,topic3", new[] { "topic1", "topic2", "topic3" })]
    [InlineData("topic1, topic2, topic3", new[] { "topic1", "topic2", "topic3" })]
    [InlineData("topic1, topic1, topic1", new[] { "topic1" })]
    public void Allowed_and_protected_topics_are_read_without_spaces_or_repeats(string value, string[] expected)
    {
        TopicScopes.ParamTopics("allowedTopics", Meta("allowedTopics", value)).Should().Equal(expected);
        TopicScopes.ParamTopics("protectedTopics", Meta("protectedTopics", value)).Should().Equal(expected);
    }

    [Fact]
    public void Metadata_names_match_case_insensitively()
    {
        TopicScopes.ParamTopics("allowedTopics", Meta("Allowedtopics", "topic1")).Should().Equal("topic1");
        TopicScopes.ParamTopics("protectedTopics", Meta("protectedTOPICS", "topic1")).Should().Equal("topic1");
        TopicScopes.ScopedTopics("subscriptionSCOPES", "appid1", Meta("Subscriptionscopes", "appid1=topic1;appid2")).Should().Equal("topic1");
        TopicScopes.ParamTopics("allowedTopics", new Dictionary<string, string>()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("appid2=topic1", new string[0])]
    [InlineData("appid1=topic1", new[] { "topic1" })]
    [InlineData("appid1=topic1, topic2", new[] { "topic1", "topic2" })]
    [InlineData("appid1=topic1;appid1=topic2", new[] { "topic1", "topic2" })]
    [InlineData("appid1=topic1;appid1=topic1", new[] { "topic1" })]
    [InlineData("appid1", new string[0])]
    [InlineData("appid2", new string[0])]
    [InlineData("appid1;appid2=topic2", new string[0])]
    [InlineData("appid1=topic1;appid2", new[] { "topic1" })]
    [InlineData("appid1=;appid2=topic9", new[] { "" })] // "app=" scopes the app to no real topic
    public void Scoped_topics_are_read_per_app(string value, string[] expected) =>
        TopicScopes.ScopedTopics("subscriptionScopes", "appid1", Meta("subscriptionScopes", value)).Should().Equal(expected);

    [Theory]
    [InlineData("topic1", new string[0], new[] { "topic1" }, new string[0], false)] // protected, no scope
    [InlineData("topic1", new[] { "topic1" }, new string[0], new string[0], true)] // allowed, no scope
    [InlineData("topic2", new[] { "topic1" }, new string[0], new string[0], false)] // not allowed
    [InlineData("topic2", new string[0], new[] { "topic1" }, new string[0], true)] // another topic is protected
    [InlineData("topic1", new string[0], new[] { "topic1" }, new[] { "topic1" }, true)] // protected and scoped
    [InlineData("topic1", new[] { "topic1" }, new string[0], new[] { "topic2" }, false)] // allowed, scoped elsewhere
    [InlineData("topic1", new string[0], new[] { "topic1" }, new[] { "topic2" }, false)] // protected, scoped elsewhere
    [InlineData("A", new[] { "A", "B" }, new string[0], new[] { "A" }, true)]
    [InlineData("B", new[] { "A", "B" }, new string[0], new[] { "A" }, false)]
    [InlineData("A", new string[0], new[] { "A", "B" }, new[] { "A" }, true)]
    [InlineData("B", new string[0], new[] { "A", "B" }, new[] { "A" }, false)]
    public void Operations_are_allowed_as_in_adapter_test(string topic, string[] allowed, string[] @protected, string[] scoped, bool expected) =>
        TopicScopes.IsOperationAllowed(topic, allowed, @protected, scoped).Should().Be(expected);

    // tests/integration/suite/daprd/pubsub/scopes/protectedtopics.go, component topic789-publishing-subscribing.
    [Theory]
    [InlineData("app1", "topic7", false, true)]
    [InlineData("app1", "topic8", true, false)]
    [InlineData("app1", "topic9", true, true)]
    [InlineData("app1", "topic10", false, false)]
    [InlineData("app2", "topic7", true, false)]
    [InlineData("app2", "topic8", false, true)]
    [InlineData("app3", "topic9", false, false)]
    public void Protected_allowed_and_scoped_topics_combine_as_in_daprds_integration_test(string app, string topic, bool publish, bool subscribe)
    {
        var scopes = new TopicScopes(app, new Dictionary<string, string>
        {
            ["protectedTopics"] = "topic7,topic8,topic9,topic10",
            ["allowedTopics"] = "topic7,topic8,topic9,topic10",
            ["subscriptionScopes"] = "app1=topic7,topic9;app2=topic8,topic9",
            ["publishingScopes"] = "app1=topic8,topic9;app2=topic7,topic9",
        });
        scopes.MayPublish(topic).Should().Be(publish);
        scopes.MaySubscribe(topic).Should().Be(subscribe);
    }

    [Fact]
    public void The_refusal_is_daprds_publish_forbidden_error()
    {
        var error = new TopicScopes("web", new Dictionary<string, string>()).Forbidden("pubsub", "payment.succeeded");
        error.HttpStatus.Should().Be(403);
        error.ErrorCode.Should().Be("ERR_PUBSUB_FORBIDDEN");
        error.GrpcStatus.Should().Be(Grpc.Core.StatusCode.PermissionDenied);
        error.Message.Should().Be("topic payment.succeeded is not allowed for app id web");
        error.Reason.Should().Be("DAPR_PUBSUB_FORBIDDEN");
        error.ReasonMetadata.Should().Contain("topic", "payment.succeeded");
    }
}
