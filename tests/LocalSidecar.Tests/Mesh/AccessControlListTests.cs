using LocalSidecar.Configuration;

namespace LocalSidecar.Tests.Mesh;

/// <summary>
/// The decision table of daprd's access control, case by case from dapr/dapr pkg/acl/acl_test.go and
/// pkg/config/acl_trie_test.go (v1.16), run against the port in <see cref="AccessControlList"/>.
/// </summary>
public sealed class AccessControlListTests
{
    private const string Allow = AccessControlList.Allow;
    private const string Deny = AccessControlList.Deny;

    // acl_test.go initializeAccessControlList
    private static AccessControlSpec Spec() => new(Deny, "abcd",
    [
        new AppPolicySpec("app1", Allow, "public", "ns1",
        [
            new AppOperationSpec("/op1", ["POST", "GET"], Allow),
            new AppOperationSpec("/op2", ["*"], Deny),
        ]),
        new AppPolicySpec("app2", Deny, "domain1", "ns2",
        [
            new AppOperationSpec("/op3/a/*", ["PUT", "GET"], Allow),
            new AppOperationSpec("/op4", ["POST"], Allow),
        ]),
        new AppPolicySpec("app3", "", "domain1", "ns1", [new AppOperationSpec("/op5", ["POST"], Allow)]),
        new AppPolicySpec("app4", Deny, "domain1", "ns2",
        [
            new AppOperationSpec("/op6", [], Allow),
            new AppOperationSpec("/op7/a/b/*", [], Allow),
            new AppOperationSpec("/op7/a/b/c/f", [], Allow),
            new AppOperationSpec("/op7/a/b*", [], Allow),
            new AppOperationSpec("/op7/c/**", [], Allow),
        ]),
        new AppPolicySpec("app1", Allow, "public", "ns4", [new AppOperationSpec("/op6", ["*"], Allow)]),
    ]);

    private static bool Decide(string td, string ns, string app, string operation, string verb, bool isHttp = true) =>
        AccessControlList.Decide(AccessControlList.Parse(Spec(), isHttp), new SpiffeId(td, ns, app), operation, verb, isHttp).Allowed;

    [Fact]
    public void The_spec_is_translated_to_policies_keyed_by_app_and_namespace()
    {
        var acl = AccessControlList.Parse(Spec(), isHttp: true)!;
        acl.DefaultAction.Should().Be(Deny);
        acl.TrustDomain.Should().Be("abcd");
        acl.Policies.Keys.Should().BeEquivalentTo("app1||ns1", "app2||ns2", "app3||ns1", "app4||ns2", "app1||ns4");
        acl.Policies["app3||ns1"].DefaultAction.Should().BeEmpty();
        var op1 = acl.Policies["app1||ns1"].Operations.Search("/op1")!;
        op1.VerbAction.Should().BeEquivalentTo(new Dictionary<string, string> { ["POST"] = Allow, ["GET"] = Allow });
        op1.OperationAction.Should().Be(Allow);
        acl.Policies["app2||ns2"].Operations.Search("/op3/a/*")!.OperationName.Should().Be("/op3/a/*");
    }

    [Fact]
    public void A_policy_without_trust_domain_namespace_or_app_id_is_refused_with_daprds_message()
    {
        var spec = new AccessControlSpec(Deny, "public",
        [
            new AppPolicySpec("app1", Allow, "", "ns1", []),
            new AppPolicySpec("app2", Deny, "domain1", "", []),
            new AppPolicySpec("", Deny, "domain1", "", []),
        ]);
        var act = () => AccessControlList.Parse(spec, isHttp: true);
        act.Should().Throw<FormatException>().WithMessage(
            "invalid access control spec. missing trustdomain for apps: [app1], missing namespace for apps: [app2 ], missing app name on at least one of the app policies: true");
    }

    [Fact]
    public void No_global_trust_domain_means_public()
    {
        var acl = AccessControlList.Parse(new AccessControlSpec(Deny, "", [new AppPolicySpec("app1", Allow, "public", "ns1", [])]), true)!;
        acl.TrustDomain.Should().Be("public");
    }

    [Fact]
    public void No_access_control_at_all_allows_everything()
    {
        AccessControlList.Parse(null, true).Should().BeNull();
        AccessControlList.Parse(new AccessControlSpec("", "", []), true).Should().BeNull();
        AccessControlList.Decide(null, new SpiffeId("public", "ns1", "app1"), "op1", "POST", true).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Policies_without_a_global_default_action_default_to_deny()
    {
        var acl = AccessControlList.Parse(new AccessControlSpec("", "public", [new AppPolicySpec("app1", Allow, "domain1", "ns1", [])]), true)!;
        acl.DefaultAction.Should().Be(Deny);
    }

    [Theory]
    [InlineData("public", "ns1", "appX", "op1", "POST", false)] // no policy for the caller: global default (deny)
    [InlineData("private", "ns1", "app1", "op1", "POST", false)] // trust domain differs: global default
    [InlineData("public", "abcd", "app1", "op1", "POST", false)] // namespace differs: global default
    [InlineData("public", "ns1", "app1", "opX", "POST", true)] // operation not listed: the app's default (allow)
    [InlineData("public", "ns1", "app1", "Op2", "POST", false)] // HTTP operations match case-insensitively
    [InlineData("domain1", "ns2", "app2", "op4", "PUT", false)] // verb not listed: the app's default (deny)
    [InlineData("domain1", "ns1", "app3", "op5", "PUT", false)] // no app default, verb not listed: global default
    [InlineData("public", "ns1", "app1", "op2", "PUT", false)] // verb "*" entry
    [InlineData("domain1", "ns2", "app2", "op4", "POST", true)] // verb entry
    [InlineData("domain1", "ns2", "app2", "/op4", "POST", true)] // leading slash optional
    [InlineData("domain1", "ns2", "app2", "op4", AccessControlList.NoVerb, false)] // HTTP without verb: the app's default
    [InlineData("domain1", "ns2", "app2", "/op3/a", "PUT", true)] // "/op3/a/*" also matches "/op3/a"
    [InlineData("domain1", "ns2", "app2", "/op3/b/b", "PUT", false)]
    [InlineData("domain1", "ns2", "app2", "/op3/a/b", "PUT", true)]
    public void Http_decisions_follow_daprds_table(string td, string ns, string app, string operation, string verb, bool allowed) =>
        Decide(td, ns, app, operation, verb).Should().Be(allowed);

    [Fact]
    public void A_caller_without_identity_gets_the_global_default()
    {
        var acl = AccessControlList.Parse(Spec(), true);
        AccessControlList.Decide(acl, null, "op1", "POST", true).Should().Be(new AccessDecision(false, "global"));
    }

    [Theory]
    [InlineData("app2", "/OP4", false)] // gRPC operations are case-sensitive
    [InlineData("app2", "op4", true)] // no verb needed: the operation's action
    [InlineData("app4", "op6", true)]
    [InlineData("app4", "op7/a/b/c", true)] // "/*" matches one last segment
    [InlineData("app4", "op7/a/b/c/d", false)] // ... not two
    [InlineData("app4", "op7/a/b/c/f", true)]
    [InlineData("app4", "op7/a/bc", true)] // "b*" globs within a segment
    [InlineData("app4", "op7/c/d/e", true)] // "/**" matches any rest
    public void Grpc_decisions_follow_daprds_table(string app, string operation, bool allowed) =>
        Decide("domain1", "ns2", app, operation, AccessControlList.NoVerb, isHttp: false).Should().Be(allowed);

    [Fact]
    public void An_operation_allows_every_path_below_it()
    {
        // daprd's trie returns the first node holding an operation: "/public" also covers "/public/extra".
        var acl = AccessControlList.Parse(new AccessControlSpec(Deny, "public",
            [new AppPolicySpec("web", Deny, "public", "default", [new AppOperationSpec("/public", ["*"], Allow)])]), true);
        var web = new SpiffeId("public", "default", "web");
        AccessControlList.Decide(acl, web, "public/extra", "GET", true).Allowed.Should().BeTrue();
        AccessControlList.Decide(acl, web, "publicity", "GET", true).Allowed.Should().BeFalse();
        AccessControlList.Decide(acl, web, "admin", "GET", true).Allowed.Should().BeFalse();
    }

    [Fact]
    public void Verbs_match_as_written_so_a_lower_case_verb_never_matches()
    {
        var acl = AccessControlList.Parse(new AccessControlSpec(Deny, "public",
            [new AppPolicySpec("web", Deny, "public", "default", [new AppOperationSpec("/holds", ["post"], Allow)])]), true);
        AccessControlList.Decide(acl, new SpiffeId("public", "default", "web"), "holds", "POST", true).Allowed.Should().BeFalse();
    }

    [Fact]
    public void The_first_policy_for_an_operation_wins()
    {
        var acl = AccessControlList.Parse(new AccessControlSpec(Deny, "public",
            [new AppPolicySpec("web", Deny, "public", "default",
                [new AppOperationSpec("/a", ["*"], Allow), new AppOperationSpec("/a", ["*"], Deny)])]), true);
        AccessControlList.Decide(acl, new SpiffeId("public", "default", "web"), "a", "GET", true).Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("/ABC", "/A*")]
    [InlineData("/ABC.a", "/A*")]
    [InlineData("/ABC", "/*C")]
    [InlineData("/ABC.a", "/*a")]
    [InlineData("/abcd", "/a*d")]
    [InlineData("/ABC.a", "/AB*.a")]
    public void Segment_wildcards_match_as_in_acl_trie_test(string target, string pattern) =>
        OperationTrie.IsMatch(target, pattern).Should().BeTrue();

    [Fact]
    public void The_denial_message_is_daprds()
    {
        AccessControlList.DenialMessage(new SpiffeId("public", "default", "web"), "events/order.cancelled", "POST")
            .Should().Be("access control policy has denied access to id: spiffe://public/ns/default/web operation: events/order.cancelled verb: POST");
        AccessControlList.DenialMessage(null, "x", "GET").Should().Be("access control policy has denied access to id:  operation: x verb: GET");
    }
}
