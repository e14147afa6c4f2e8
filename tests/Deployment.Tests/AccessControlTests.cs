using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// Service invocation access control: every app's sidecar runs its own Dapr configuration whose accessControl denies by
/// default and, judged the way daprd judges it (<see cref="DaprAccessControl"/>), allows exactly
/// <see cref="MeshPolicy.Invocations"/> plus the documented <see cref="MeshPolicy.DaprWidenings"/>. Checked for the local
/// run (dapr.yaml) and for each AKS overlay as rendered.
/// </summary>
public class AccessControlTests
{
    private const string SampleId = "0c9a6f1e-2b7d-4e5a-9c3b-1d2e3f4a5b6c";
    private static readonly string[] Verbs = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    [Theory]
    [MemberData(nameof(MeshConfigurations.Environments), MemberType = typeof(MeshConfigurations))]
    public void Every_app_runs_its_own_configuration_that_denies_by_default(string environment)
    {
        var configurations = MeshConfigurations.For(environment);

        configurations.Keys.Should().BeEquivalentTo(MeshConfigurations.AppsOf(environment), "every sidecar needs the configuration that guards its app");
        configurations.Values.Select(c => c.Name).Should().OnlyHaveUniqueItems("accessControl lives in the callee's configuration");
        foreach (var (appId, configuration) in configurations)
        {
            configuration.Node.Scalar("spec.accessControl.defaultAction").Should().Be("deny", $"{configuration} guards {appId}");
            foreach (var policy in Policies(configuration))
            {
                policy.Scalar("defaultAction").Should().Be("deny", $"{configuration}: {policy.Scalar("appId")}'s unlisted calls");
                policy.Sequence("operations")!.Children.OfType<YamlMappingNode>()
                    .Should().OnlyContain(op => op.Scalar("action") == "allow", "operations list what is allowed; the rest is denied");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MeshConfigurations.Environments), MemberType = typeof(MeshConfigurations))]
    public void Policies_name_the_callers_namespace_and_the_one_trust_domain_of_every_sidecar(string environment)
    {
        var configurations = MeshConfigurations.For(environment).Values.ToList();
        var trustDomain = configurations[0].Node.Scalar("spec.accessControl.trustDomain");
        var ns = MeshConfigurations.CallerNamespace(environment);

        trustDomain.Should().NotBeNullOrEmpty("each sidecar's SPIFFE id takes its trust domain from its own configuration");
        foreach (var configuration in configurations)
        {
            configuration.Node.Scalar("spec.accessControl.trustDomain").Should().Be(trustDomain, $"{configuration}: callers present theirs");
            foreach (var policy in Policies(configuration))
            {
                policy.Scalar("trustDomain").Should().Be(trustDomain, configuration.ToString());
                policy.Scalar("namespace").Should().Be(ns, configuration.ToString());
                MeshConfigurations.Callers.Should().Contain(policy.Scalar("appId"));
            }
            Policies(configuration).Select(p => p.Scalar("appId")).Should().OnlyHaveUniqueItems(configuration.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(MeshConfigurations.Environments), MemberType = typeof(MeshConfigurations))]
    public void Daprd_allows_every_listed_invocation_and_nothing_else_but_the_documented_widenings(string environment)
    {
        var configurations = MeshConfigurations.For(environment);
        var ns = MeshConfigurations.CallerNamespace(environment);
        var missing = new List<Invocation>();
        var widened = new List<Invocation>();

        foreach (var (callee, configuration) in configurations)
        {
            var acl = DaprAccessControl.From(configuration)!;
            foreach (var caller in MeshConfigurations.Callers)
            foreach (var verb in Verbs)
            foreach (var path in Probes(callee))
            {
                var listed = MeshPolicy.Invocations.Any(i => i.Matches(caller, callee, verb, path));
                var allowed = acl.Allows(new SpiffeCaller(caller, ns, acl.TrustDomain), verb, path);
                if (listed && !allowed) missing.Add(new(caller, callee, verb, path));
                if (allowed && !listed) widened.Add(new(caller, callee, verb, path));
            }
        }

        missing.Should().BeEmpty("daprd must let every invocation of the mesh policy through");
        var documented = MeshPolicy.DaprWidenings.Select(w => w.Call).Concat(MeshPolicy.Below()).ToList();
        widened.Where(w => !documented.Any(d => d.Matches(w))).Should()
            .BeEmpty("anything daprd allows beyond the policy must be a known, documented widening");
        documented.Where(d => !widened.Any(d.Matches)).Should().BeEmpty("a documented widening daprd no longer allows is stale");
    }

    [Theory]
    [MemberData(nameof(MeshConfigurations.Environments), MemberType = typeof(MeshConfigurations))]
    public void Sidecar_only_routes_and_the_saga_are_closed_to_every_caller_but_their_own(string environment)
    {
        var configurations = MeshConfigurations.For(environment);
        var ns = MeshConfigurations.CallerNamespace(environment);
        var reservation = DaprAccessControl.From(configurations[AppIds.Reservation])!;

        foreach (var (callee, configuration) in configurations)
        {
            var acl = DaprAccessControl.From(configuration)!;
            foreach (var caller in MeshConfigurations.Callers)
            foreach (var path in SidecarOnlyPaths())
            foreach (var verb in Verbs)
                acl.Allows(new SpiffeCaller(caller, ns, acl.TrustDomain), verb, path).Should().BeFalse($"{caller} → {callee}: {verb} {path}");
        }
        foreach (var step in new[] { "confirm", "revoke" })
            reservation.Allows(new SpiffeCaller(AppIds.Web, ns, reservation.TrustDomain), "POST", $"/holds/{SampleId}/{step}")
                .Should().BeFalse($"only ordering's saga may {step} a hold");
    }

    [Theory]
    [MemberData(nameof(MeshConfigurations.Environments), MemberType = typeof(MeshConfigurations))]
    public void A_listed_caller_from_another_namespace_or_trust_domain_or_without_mtls_is_denied(string environment)
    {
        var configurations = MeshConfigurations.For(environment);
        var ns = MeshConfigurations.CallerNamespace(environment);

        foreach (var invocation in MeshPolicy.Invocations)
        {
            var acl = DaprAccessControl.From(configurations[invocation.Callee])!;
            var path = Instantiate(invocation.Path);
            acl.Allows(new SpiffeCaller(invocation.Caller, ns, acl.TrustDomain), invocation.Verb, path).Should().BeTrue(invocation.ToString());
            acl.Allows(new SpiffeCaller(invocation.Caller, ns + "-other", acl.TrustDomain), invocation.Verb, path).Should().BeFalse(invocation.ToString());
            acl.Allows(new SpiffeCaller(invocation.Caller, ns, "other.example"), invocation.Verb, path).Should().BeFalse(invocation.ToString());
            acl.Allows(null, invocation.Verb, path).Should().BeFalse($"{invocation} without a client certificate");
        }
    }

    [Fact]
    public void Every_internal_caller_a_service_admits_has_a_policy_in_its_sidecars_configuration()
    {
        var configurations = MeshConfigurations.For(MeshConfigurations.Local);

        foreach (var appId in AppIds.All)
        {
            var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repository.PathOf("services", appId, "appsettings.json")),
                documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var internalCallers = settings?["Auth"]?["InternalCallers"]?.AsArray().Select(c => c!.GetValue<string>()).ToList() ?? [];
            var policies = Policies(configurations[appId]).Select(p => p.Scalar("appId")).ToList();
            internalCallers.Where(c => !policies.Contains(c)).Should().BeEmpty(
                $"{appId} admits these callers to its internal steps (Auth:InternalCallers); the mesh must let them through");
        }
    }

    [Fact]
    public void Settings_other_than_access_control_are_identical_in_every_configuration()
    {
        var files = Deployables.ConfigurationFiles();
        var shared = files.ToDictionary(f => f.ToString(), f => Yaml.Serialize(WithoutAccessControl(f.Node.Map("spec")!)));

        files.Should().HaveCount(AppIds.All.Count + LocalOnlyApps.All.Count);
        shared.Values.Distinct().Should().ContainSingle("tracing, metrics, mTLS, logging and secret scopes are one policy for every sidecar: {0}",
            string.Join(", ", shared.Keys));
        files[0].Node.Map("spec")!.Keys().Should().Contain(["tracing", "metric", "mtls", "logging", "secrets", "accessControl"]);
    }

    /// <summary>
    /// The local sign-in provider is reached over plain HTTP by browsers and web, as Entra ID is; no sidecar may invoke
    /// it, and no AKS overlay deploys its configuration (Entra ID replaces it there).
    /// </summary>
    [Fact]
    public void Nobody_may_invoke_the_local_identity_app_and_no_overlay_deploys_it()
    {
        var configuration = MeshConfigurations.For(MeshConfigurations.Local)[LocalOnlyApps.Identity];
        var acl = DaprAccessControl.From(configuration)!;
        var ns = MeshConfigurations.CallerNamespace(MeshConfigurations.Local);

        Policies(configuration).Should().BeEmpty("no app has a reason to call the provider through the mesh");
        foreach (var caller in MeshConfigurations.Callers)
        foreach (var verb in Verbs)
        foreach (var path in new[] { "/connect/token", "/connect/authorize", "/account/login", "/.well-known/openid-configuration", "/healthz" })
            acl.Allows(new SpiffeCaller(caller, ns, acl.TrustDomain), verb, path).Should().BeFalse($"{caller} → identity: {verb} {path}");
        foreach (var environment in Deployables.EnvironmentNames)
        {
            var build = Deployables.Overlay(environment);
            build.Find("Configuration", configuration.Name).Should().BeNull($"overlays/{environment} runs no local provider");
            build.OfKind("Deployment").Select(d => d.Name).Should().NotContain(LocalOnlyApps.All, environment);
        }
    }

    [Fact]
    public void A_configuration_the_code_does_not_match_fails_the_check()
    {
        // The brief's natural spelling of GET /resources/{id}/slots: daprd never matches "*" between segments.
        var acl = DaprAccessControlTests.Parse("""
            - name: /resources/*/slots
              httpVerb: [GET]
              action: allow
            """);

        acl.Allows(DaprAccessControlTests.Web, "GET", $"/resources/{SampleId}/slots").Should().BeFalse();
    }

    /// <summary>The routes of the callee in the policy, their parents and one segment deeper, and sidecar-only routes.</summary>
    private static IEnumerable<string> Probes(string callee)
    {
        var routes = MeshPolicy.Invocations.Where(i => i.Callee == callee).Select(i => Instantiate(i.Path)).Distinct().ToList();
        return routes
            .Concat(routes.Select(r => r[..r.LastIndexOf('/')]).Where(r => r.Length > 0))
            .Concat(routes.Select(r => $"{r}/x"))
            .Concat(SidecarOnlyPaths())
            .Distinct();
    }

    /// <summary>Routes only a sidecar may call (subscriptions, the Dapr app protocol) and the health endpoints.</summary>
    private static IEnumerable<string> SidecarOnlyPaths() =>
        Deployables.TopicNames.SelectMany(t => new[] { $"/events/{t}", $"/events/{t.Replace('.', '-')}" })
            .Concat(["/dapr/subscribe", "/dapr/config", $"/actors/SlotActor/{SampleId}/method/Read", $"/actors/SlotActor/{SampleId}",
                "/healthz", "/readyz", "/swagger/v1/swagger.json"]);

    private static string Instantiate(string template) =>
        string.Join('/', template.Split('/').Select(s => s == "{x}" ? "x" : s.StartsWith('{') ? SampleId : s));

    private static IEnumerable<YamlMappingNode> Policies(YamlResource configuration) =>
        configuration.Node.Sequence("spec.accessControl.policies")?.Children.OfType<YamlMappingNode>() ?? [];

    private static YamlMappingNode WithoutAccessControl(YamlMappingNode spec)
    {
        var copy = new YamlMappingNode();
        foreach (var (key, value) in spec.Entries().Where(e => e.Key != "accessControl"))
            copy.Add(key, value);
        return copy;
    }
}
