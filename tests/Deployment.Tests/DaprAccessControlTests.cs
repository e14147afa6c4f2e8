using DaprReservations.Deployment.Tests.Infrastructure;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// <see cref="DaprAccessControl"/> decides as daprd does: the cases of dapr/dapr pkg/acl/acl_test.go and
/// pkg/config/acl_trie_search_test.go, restated. If one of these fails, the access-control tests judge the
/// configurations by a rule daprd does not apply.
/// </summary>
public class DaprAccessControlTests
{
    public static readonly SpiffeCaller Web = new("web", "default", "public");

    /// <summary>A configuration with one policy for <see cref="Web"/>, whose operations are the given YAML list.</summary>
    public static DaprAccessControl Parse(string operations, string appDefault = "deny")
    {
        var indented = string.Join('\n', operations.Split('\n').Select(l => "        " + l));
        var yaml = $"""
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: sample
            spec:
              accessControl:
                defaultAction: deny
                trustDomain: public
                policies:
                - appId: web
                  defaultAction: {appDefault}
                  trustDomain: public
                  namespace: default
                  operations:
            {indented}
            """;
        var resource = new YamlResource("sample.yaml", (YamlDotNet.RepresentationModel.YamlMappingNode)YamlResource.LoadDocuments(yaml).Single());
        return DaprAccessControl.From(resource)!;
    }

    private static string Op(string name, string verbs = "GET", string action = "allow") =>
        $"- name: {name}\n  httpVerb: [{string.Join(", ", verbs.Split(", ").Select(v => $"\"{v}\""))}]\n  action: {action}";

    [Theory]
    [InlineData("/api/v1/state", "/api/v1/state", true)]
    [InlineData("/api/v1/state", "/api/v1/other", false)]
    [InlineData("/api/v1/*", "/api/v1/foo", true)]
    [InlineData("/api/v1/*", "/api/v1/foo/bar", false)]
    [InlineData("/api/v1/*", "/api/v1", true)]            // a trailing /* also covers its parent
    [InlineData("/api/*/state", "/api/v1/state", false)]  // "*" never matches in the middle of a path
    [InlineData("/api/**", "/api/v1/state", true)]
    [InlineData("/api/**", "/api/anything/nested/deep", true)]
    [InlineData("/api/**/state", "/api/v1/state", true)]   // "**" without data matches one segment
    [InlineData("/api/**/state", "/api/v1/v2/state", false)]
    [InlineData("/op7/a/b*", "/op7/a/bc", true)]          // a glob inside a segment
    [InlineData("/holds", "/holds/x/confirm", true)]      // an operation without a wildcard at its end is a prefix
    [InlineData("/Holds/*", "/holds/X", true)]            // HTTP: operation and path compared in lower case
    public void Operation_names_match_as_in_daprd(string operation, string path, bool allowed)
    {
        Parse(Op(operation)).Allows(Web, "GET", path).Should().Be(allowed);
    }

    [Fact]
    public void The_first_matching_child_wins_so_a_double_star_listed_first_hides_a_trailing_star()
    {
        var starFirst = Parse(Op("/resources/*") + "\n" + Op("/resources/**/slots"));
        var doubleStarFirst = Parse(Op("/resources/**/slots") + "\n" + Op("/resources/*"));

        starFirst.Allows(Web, "GET", "/resources/r1").Should().BeTrue();
        starFirst.Allows(Web, "GET", "/resources/r1/slots").Should().BeTrue();
        doubleStarFirst.Allows(Web, "GET", "/resources/r1").Should().BeFalse();
        doubleStarFirst.Allows(Web, "GET", "/resources/r1/slots").Should().BeTrue();
    }

    [Fact]
    public void The_first_registration_of_an_operation_wins()
    {
        var acl = Parse(Op("/orders", "POST") + "\n" + Op("/orders", "GET"));

        acl.Allows(Web, "POST", "/orders").Should().BeTrue();
        acl.Allows(Web, "GET", "/orders").Should().BeFalse();
    }

    [Fact]
    public void A_parent_operation_decides_for_every_path_below_it()
    {
        var acl = Parse(Op("/admin/resources", "POST") + "\n" + Op("/admin/resources/*", "PUT"));

        acl.Allows(Web, "POST", "/admin/resources").Should().BeTrue();
        acl.Allows(Web, "PUT", "/admin/resources/r1").Should().BeFalse("the /admin/resources node answers first, with POST only");
        acl.Allows(Web, "POST", "/admin/resources/r1").Should().BeTrue();
    }

    [Fact]
    public void Verbs_choose_the_action_and_an_unlisted_verb_gets_the_apps_default()
    {
        var acl = Parse(Op("/op1", "POST, GET") + "\n" + Op("/op2", "*", "deny") + "\n" + Op("/op3", "*"), appDefault: "allow");

        acl.Allows(Web, "POST", "/op1").Should().BeTrue();
        acl.Allows(Web, "PUT", "/op1").Should().BeTrue("the app's default action is allow here");
        acl.Allows(Web, "PUT", "/op2").Should().BeFalse("* matched with deny");
        acl.Allows(Web, "DELETE", "/op3").Should().BeTrue("* matched with allow");
        acl.Allows(Web, "GET", "/unlisted").Should().BeTrue("no operation matched: the app's default");
        Parse(Op("/op1", "POST")).Allows(Web, "PUT", "/op1").Should().BeFalse("the app's default action is deny");
    }

    [Fact]
    public void An_unknown_app_a_wrong_namespace_or_trust_domain_or_no_certificate_gets_the_global_default()
    {
        var acl = Parse(Op("/op1"), appDefault: "allow");

        acl.Allows(Web, "GET", "/op1").Should().BeTrue();
        acl.Allows(Web with { AppId = "other" }, "GET", "/op1").Should().BeFalse();
        acl.Allows(Web with { Namespace = "prod" }, "GET", "/op1").Should().BeFalse();
        acl.Allows(Web with { TrustDomain = "private" }, "GET", "/op1").Should().BeFalse();
        acl.Allows(null, "GET", "/op1").Should().BeFalse();
    }

    [Fact]
    public void A_policy_without_namespace_or_trust_domain_is_refused_as_daprd_refuses_it()
    {
        var yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: broken
            spec:
              accessControl:
                defaultAction: deny
                policies:
                - appId: web
                  defaultAction: allow
            """;
        var resource = new YamlResource("broken.yaml", (YamlDotNet.RepresentationModel.YamlMappingNode)YamlResource.LoadDocuments(yaml).Single());

        FluentActions.Invoking(() => DaprAccessControl.From(resource)).Should().Throw<InvalidDataException>();
    }
}
