using LocalSidecar.Configuration;

namespace LocalSidecar.Tests.Mesh;

/// <summary>Loading Dapr Configuration files as daprd's LoadStandaloneConfiguration does (dapr/dapr pkg/config/configuration.go).</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dapr-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml, string name = "config.yaml")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void A_standard_configuration_with_sections_the_sidecar_does_not_enforce_loads()
    {
        var configuration = DaprConfiguration.Load([Write("""
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: reservation-config
              namespace: default
            spec:
              tracing:
                samplingRate: "1"
                otel:
                  endpointAddress: "localhost:4317"
                  isSecure: false
                  protocol: grpc
              mtls:
                enabled: true
                workloadCertTTL: "24h"
                allowedClockSkew: "15m"
              metric:
                enabled: true
              secrets:
                scopes:
                - storeName: kubernetes
                  defaultAccess: deny
                  allowedSecrets: ["redis-password"]
              features:
              - name: SchedulerReminders
                enabled: true
              nameResolution:
                component: mdns
              accessControl:
                defaultAction: deny
                trustDomain: "public"
                policies:
                - appId: ordering
                  defaultAction: deny
                  trustDomain: "public"
                  namespace: "default"
                  operations:
                  - name: /holds/*/confirm
                    httpVerb: ["POST"]
                    action: allow
            """)]);

        configuration.Name.Should().Be("reservation-config");
        configuration.Warnings.Should().BeEmpty();
        var policy = configuration.AccessControl!.Policies!.Single();
        policy.Should().BeEquivalentTo(new AppPolicySpec("ordering", "deny", "public", "default",
            [new AppOperationSpec("/holds/*/confirm", ["POST"], "allow")]));
    }

    [Fact]
    public void Without_a_file_daprd_allows_everything_from_trust_domain_public()
    {
        DaprConfiguration.Load([]).AccessControl.Should().Be(new AccessControlSpec("allow", "public", null));
    }

    [Fact]
    public void A_file_without_access_control_keeps_the_defaults()
    {
        var configuration = DaprConfiguration.Load([Write("kind: Configuration\nspec:\n  tracing:\n    samplingRate: \"1\"\n")]);
        configuration.AccessControl.Should().Be(DaprConfiguration.DefaultAccessControl);
    }

    [Fact]
    public void Fields_a_file_leaves_out_keep_the_defaults_so_policies_without_default_action_mean_allow()
    {
        // yaml.v3 decodes into daprd's default configuration: defaultAction stays "allow", trustDomain "public".
        var configuration = DaprConfiguration.Load([Write("""
            kind: Configuration
            spec:
              accessControl:
                policies:
                - appId: web
                  trustDomain: public
                  namespace: default
            """)]);
        configuration.AccessControl!.DefaultAction.Should().Be("allow");
        configuration.AccessControl.TrustDomain.Should().Be("public");
        AccessControlList.Parse(configuration.AccessControl, true)!.DefaultAction.Should().Be("allow");
    }

    [Fact]
    public void Access_control_set_to_null_enforces_nothing()
    {
        var configuration = DaprConfiguration.Load([Write("kind: Configuration\nspec:\n  accessControl: null\n")]);
        configuration.AccessControl.Should().BeNull();
        AccessControlList.Parse(configuration.AccessControl, true).Should().BeNull();
    }

    [Fact]
    public void Later_files_override_earlier_ones_field_by_field_and_environment_variables_expand()
    {
        var first = Write("kind: Configuration\nspec:\n  accessControl:\n    defaultAction: deny\n    trustDomain: first\n", "a.yaml");
        var second = Write("kind: Configuration\nspec:\n  accessControl:\n    trustDomain: ${SIDECAR_TEST_TD}\n", "b.yaml");
        Environment.SetEnvironmentVariable("SIDECAR_TEST_TD", "second");
        try
        {
            DaprConfiguration.Load([first, second]).AccessControl.Should().Be(new AccessControlSpec("deny", "second", null));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SIDECAR_TEST_TD", null);
        }
    }

    [Fact]
    public void A_policy_without_namespace_fails_the_load_with_daprds_message()
    {
        var file = Write("""
            kind: Configuration
            spec:
              accessControl:
                defaultAction: deny
                policies:
                - appId: web
                  trustDomain: public
            """);
        var act = () => DaprConfiguration.Load([file]);
        act.Should().Throw<ConfigurationException>().Which.Message.Should()
            .Be($"{file}: invalid access control spec. missing trustdomain for apps: [], missing namespace for apps: [web], missing app name on at least one of the app policies: false");
    }

    [Theory]
    [InlineData("spec:\n  accessControl: [a]\n", "accessControl must be a mapping")]
    [InlineData("spec:\n  accessControl:\n    policies:\n    - appId: a\n      operations:\n      - name: /x\n        httpVerb: GET\n", "httpVerb must be a list")]
    [InlineData("spec:\n  accessControl:\n    defaultAction: {a: b}\n", "accessControl.defaultAction must be a string")]
    [InlineData("spec: [unclosed\n", "not valid YAML")]
    [InlineData("spec:\n  secrets:\n    scopes:\n    - storeName: a\n    - storeName: a\n", "a storeName is repeated in secrets configuration")]
    [InlineData("spec:\n  secrets:\n    scopes:\n    - storeName: a\n      defaultAccess: maybe\n", "defaultAccess maybe can be either allow or deny")]
    public void Files_daprd_cannot_load_are_refused_naming_the_file(string yaml, string expected)
    {
        var file = Write(yaml);
        var act = () => DaprConfiguration.Load([file]);
        act.Should().Throw<ConfigurationException>().Which.Message.Should().StartWith(file).And.Contain(expected);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var act = () => DaprConfiguration.Load([Path.Combine(_dir, "nope.yaml")]);
        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("nope.yaml").And.Contain("not found");
    }

    [Fact]
    public void A_file_of_another_kind_loads_with_a_warning_as_daprd_does_not_check_the_kind()
    {
        var configuration = DaprConfiguration.Load([Write("kind: Component\nspec:\n  type: state.redis\n")]);
        configuration.Warnings.Should().ContainSingle().Which.Should().Contain("kind is 'Component'");
        configuration.AccessControl.Should().Be(DaprConfiguration.DefaultAccessControl);
    }
}
