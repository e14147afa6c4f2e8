using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// deploy/aks NetworkPolicies as rendered per overlay: deny by default in both directions; from outside the namespace
/// only the ingress controller, only to web's app port; inside it only sidecar to sidecar on daprd's internal port;
/// out of it DNS, the Dapr control plane, the collector and Azure's public endpoints.
/// </summary>
public class NetworkPolicyTests
{
    /// <summary>The label the Dapr injector puts on every pod it gives a sidecar (dapr/dapr pkg/injector/consts).</summary>
    private const string SidecarLabel = "dapr.io/sidecar-injected";
    private const string DaprInternalGrpcPort = "50002";

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void The_namespace_denies_all_ingress_and_egress_by_default(string environment)
    {
        var policies = Policies(environment);

        policies.Should().Contain(p => p.Node.Map("spec.podSelector")!.Children.Count == 0
            && p.Node.Strings("spec.policyTypes").Order().SequenceEqual(new[] { "Egress", "Ingress" })
            && p.Node.Sequence("spec.ingress") == null && p.Node.Sequence("spec.egress") == null,
            "one policy selects every pod and allows nothing, so anything else must be allowed on purpose");
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Only_web_admits_traffic_from_outside_the_namespace_from_the_ingress_controller_to_its_app_port(string environment)
    {
        var webPort = ServicesReadme.AppPorts[AppIds.Web].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var fromOutside = IngressRules(environment).Where(r => r.Peers.Any(p => p.Map("namespaceSelector") is not null || p.Map("ipBlock") is not null)).ToList();

        fromOutside.Should().NotBeEmpty("the ingress controller must reach web");
        foreach (var (policy, peers, ports) in fromOutside)
        {
            policy.Node.Map("spec.podSelector.matchLabels").Entries().Select(e => (e.Key, (e.Value as YamlScalarNode)?.Value))
                .Should().Equal([("app.kubernetes.io/name", AppIds.Web)], $"{policy}: only web faces the outside");
            ports.Should().Equal([("TCP", webPort)], $"{policy}: web's app port, not its sidecar");
            peers.Should().OnlyContain(p => p.Scalar("namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name") == "app-routing-system"
                && p.Scalar("podSelector.matchLabels.app\\.kubernetes\\.io/component") == "ingress-controller" && p.Map("ipBlock") == null,
                $"{policy}: only the application routing add-on's NGINX");
        }
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Inside_the_namespace_only_sidecars_reach_each_other_and_only_on_daprds_internal_port(string environment)
    {
        var inside = IngressRules(environment).Where(r => r.Peers.All(p => p.Map("namespaceSelector") is null && p.Map("ipBlock") is null)).ToList();

        inside.Should().NotBeEmpty("sidecars must reach each other for service invocation and actors");
        foreach (var (policy, peers, ports) in inside)
        {
            peers.Should().NotBeEmpty($"{policy}: an ingress rule without 'from' admits anyone");
            policy.Node.Scalar($"spec.podSelector.matchLabels.{Escape(SidecarLabel)}").Should().Be("true", policy.ToString());
            peers.Should().OnlyContain(p => p.Scalar($"podSelector.matchLabels.{Escape(SidecarLabel)}") == "true", policy.ToString());
            ports.Should().Equal([("TCP", DaprInternalGrpcPort)], $"{policy}: not the sidecars' own APIs (3500, 50001) nor the apps' ports");
        }
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Pods_may_resolve_names_and_sidecars_may_reach_the_dapr_control_plane(string environment)
    {
        var egress = EgressRules(environment).ToList();
        (string, string) udpDns = ("UDP", "53"), tcpDns = ("TCP", "53");
        (string, string)[] internalPort = [("TCP", DaprInternalGrpcPort)];

        egress.Should().Contain(r => r.Policy.Node.Map("spec.podSelector")!.Children.Count == 0
            && r.Peers.Any(p => p.Scalar("namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name") == "kube-system"
                && p.Scalar("podSelector.matchLabels.k8s-app") == "kube-dns")
            && r.Ports.Contains(udpDns) && r.Ports.Contains(tcpDns), "every pod needs cluster DNS");
        var controlPlane = egress.Where(r => r.Peers.Any(p => p.Scalar("namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name") == "dapr-system")).ToList();
        controlPlane.Should().ContainSingle();
        controlPlane[0].Policy.Node.Scalar($"spec.podSelector.matchLabels.{Escape(SidecarLabel)}").Should().Be("true");
        // Sentry, operator, placement, scheduler: the ports of their pods (dapr/dapr charts).
        controlPlane[0].Ports.Should().BeEquivalentTo([("TCP", "50001"), ("TCP", "6500"), ("TCP", "50005"), ("TCP", "50006")]);
        egress.Should().Contain(r => r.Peers.Any(p => p.Scalar($"podSelector.matchLabels.{Escape(SidecarLabel)}") == "true")
            && r.Ports.SequenceEqual(internalPort), "a sidecar calls other sidecars");
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Sidecars_export_to_the_environments_collector_and_may_reach_its_namespace(string environment)
    {
        var build = Deployables.Overlay(environment);
        var host = build.Find("ConfigMap", "azure-settings")!.Node.Scalar("data.OTEL_COLLECTOR_HOST")!;
        var endpoints = build.OfKind("Configuration").Select(c => c.Node.Scalar("spec.tracing.otel.endpointAddress")!).Distinct().ToList();
        endpoints.Should().ContainSingle().Which.Should().StartWith(host + ":", "every sidecar exports to the environment's collector");
        var port = endpoints[0].Split(':')[1];
        var collector = ("TCP", port);

        EgressRules(environment).Should().Contain(r =>
            r.Peers.Any(p => p.Scalar("namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name") == host.Split('.')[1])
            && r.Ports.Contains(collector), $"the sidecars export traces to {host}:{port}");
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Egress_outside_the_cluster_goes_only_to_public_addresses_on_the_azure_service_ports(string environment)
    {
        var external = EgressRules(environment).Where(r => r.Peers.Any(p => p.Map("ipBlock") is not null)).ToList();

        foreach (var (policy, peers, ports) in external)
        {
            peers.Should().OnlyContain(p => p.Strings("ipBlock.except").Order().SequenceEqual(new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16" }),
                $"{policy}: the cluster's own (private) addresses are reached only through the rules above");
            ports.Select(p => p.Port).Should().BeSubsetOf(["443", "5671", "6380", "1433", "11000"], policy.ToString());
        }
    }

    private static List<YamlResource> Policies(string environment) => Deployables.Overlay(environment).OfKind("NetworkPolicy").ToList();

    private sealed record Rule(YamlResource Policy, IReadOnlyList<YamlMappingNode> Peers, IReadOnlyList<(string Protocol, string Port)> Ports);

    private static IEnumerable<Rule> IngressRules(string environment) => Rules(environment, "ingress", "from");

    private static IEnumerable<Rule> EgressRules(string environment) => Rules(environment, "egress", "to");

    private static IEnumerable<Rule> Rules(string environment, string direction, string peers) =>
        from policy in Policies(environment)
        from rule in policy.Node.Sequence($"spec.{direction}")?.Children.OfType<YamlMappingNode>() ?? []
        select new Rule(policy,
            rule.Sequence(peers)?.Children.OfType<YamlMappingNode>().ToList() ?? [],
            rule.Sequence("ports")?.Children.OfType<YamlMappingNode>().Select(p => (p.Scalar("protocol") ?? "TCP", p.Scalar("port") ?? "")).ToList() ?? []);

    private static string Escape(string label) => label.Replace(".", "\\.");
}
