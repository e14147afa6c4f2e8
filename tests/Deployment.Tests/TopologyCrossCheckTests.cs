using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// The manifests agree with the code's app ids (Topology/DaprNames.cs) and the ports of services/README.md: a call
/// can be followed by name alone, and a probe hits the port the app listens on.
/// </summary>
public class TopologyCrossCheckTests
{
    [Fact]
    public void Services_readme_documents_exactly_the_app_ids_of_the_code()
    {
        ServicesReadme.AppPorts.Keys.Should().BeEquivalentTo(AppIds.All);
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Every_app_id_has_a_dapr_deployment_on_its_documented_port(string environment)
    {
        var build = Deployables.Overlay(environment);

        foreach (var appId in AppIds.All)
        {
            var deployments = build.OfKind("Deployment").Where(d => Annotation(d, "dapr.io/app-id") == appId).ToList();
            deployments.Should().ContainSingle($"app id {appId} needs exactly one Deployment in overlays/{environment}");
            var deployment = deployments[0];
            var port = ServicesReadme.AppPorts[appId].ToString(System.Globalization.CultureInfo.InvariantCulture);

            Annotation(deployment, "dapr.io/enabled").Should().Be("true");
            Annotation(deployment, "dapr.io/app-port").Should().Be(port, $"{appId}'s app port in services/README.md");
            var container = deployment.Node.Map("spec.template.spec.containers.0")!;
            container.Scalar("ports.[name=http].containerPort").Should().Be(port, $"{appId} listens on {port}");
            Env(container, "ASPNETCORE_HTTP_PORTS").Should().Be(port, $"Kestrel of {appId} must bind the app port");
            foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                var probePort = container.Scalar($"{probe}.httpGet.port");
                probePort.Should().BeOneOf(["http", port], $"{appId}'s {probe} must target the app port");
            }
            container.Scalar("livenessProbe.httpGet.path").Should().Be("/healthz");
            container.Scalar("readinessProbe.httpGet.path").Should().Be("/readyz");
        }
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Every_dapr_deployment_is_a_known_app_id(string environment)
    {
        var appIds = Deployables.Overlay(environment).OfKind("Deployment").Select(d => Annotation(d, "dapr.io/app-id"));

        appIds.Should().OnlyContain(id => id != null && AppIds.All.Contains(id));
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Every_app_has_its_identity_autoscaler_and_disruption_budget_and_only_web_a_service(string environment)
    {
        var build = Deployables.Overlay(environment);
        var clientIds = new Dictionary<string, string?>();

        foreach (var appId in AppIds.All)
        {
            var deployment = build.OfKind("Deployment").Single(d => Annotation(d, "dapr.io/app-id") == appId);
            var podLabels = deployment.Node.Map("spec.template.metadata.labels")!;
            var serviceAccountName = deployment.Node.Scalar("spec.template.spec.serviceAccountName");

            var serviceAccount = build.Find("ServiceAccount", serviceAccountName ?? "");
            serviceAccount.Should().NotBeNull($"{appId} runs as ServiceAccount '{serviceAccountName}'");
            serviceAccount!.Node.Scalar("metadata.annotations.azure\\.workload\\.identity/client-id").Should()
                .MatchRegex("^[0-9a-f-]{36}$", $"{appId}'s ServiceAccount names its managed identity");
            clientIds[appId] = serviceAccount.Node.Scalar("metadata.annotations.azure\\.workload\\.identity/client-id");
            podLabels.Scalar("azure\\.workload\\.identity/use").Should().Be("true", $"{appId}'s pods must get the token projection");

            // Only the ingress needs a Service (web's); sidecars reach each other through the <app>-dapr Services Dapr creates.
            var services = build.OfKind("Service").Where(s => Selects(s.Node.Map("spec.selector"), podLabels)).ToList();
            if (appId == AppIds.Web)
            {
                services.Should().ContainSingle($"{appId} needs a Service for the ingress");
                services[0].Node.Scalar("spec.ports.0.targetPort").Should().BeOneOf(["http", Annotation(deployment, "dapr.io/app-port")]);
            }
            else
            {
                services.Should().BeEmpty($"nothing but its sidecar may reach {appId}, so no Service exposes its app port");
            }

            build.OfKind("HorizontalPodAutoscaler").Should().ContainSingle(h => h.Node.Scalar("spec.scaleTargetRef.name") == deployment.Name,
                $"{appId} needs an HPA");
            build.OfKind("PodDisruptionBudget").Should().ContainSingle(p => Selects(p.Node.Map("spec.selector.matchLabels"), podLabels),
                $"{appId} needs a PodDisruptionBudget");

            foreach (var tokenSecret in new[] { "dapr.io/api-token-secret", "dapr.io/app-token-secret" })
                Annotation(deployment, tokenSecret).Should().NotBeNullOrEmpty($"{appId} must protect its sidecar with {tokenSecret}");
        }
        clientIds.Values.Should().OnlyHaveUniqueItems("each app signs in as its own identity, with only its own grants");
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Dapr_configuration_and_resiliency_named_by_the_pods_exist(string environment)
    {
        var build = Deployables.Overlay(environment);

        foreach (var deployment in build.OfKind("Deployment"))
        {
            var config = Annotation(deployment, "dapr.io/config");
            build.Find("Configuration", config ?? "").Should().NotBeNull($"{deployment} uses Dapr configuration '{config}'");
        }
        build.OfKind("Resiliency").Should().ContainSingle("one resiliency spec applies to every app in the namespace");
        build.OfKind("Component").Select(c => c.Name).Should().Contain(Deployables.ComponentNames);
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Only_web_is_exposed_by_an_ingress(string environment)
    {
        var build = Deployables.Overlay(environment);
        var backends = build.OfKind("Ingress")
            .SelectMany(i => i.Node.Sequence("spec.rules")!.Children)
            .SelectMany(rule => rule.Sequence("http.paths")!.Children)
            .Select(path => path.Scalar("backend.service.name"));

        backends.Should().OnlyContain(name => name == AppIds.Web).And.NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Every_sql_app_runs_on_sql_server_and_has_a_migration_job(string environment)
    {
        var build = Deployables.Overlay(environment);
        var sqlApps = build.OfKind("Deployment")
            .Where(d => Env(d.Node.Map("spec.template.spec.containers.0")!, "Database__Provider") == "SqlServer")
            .Select(d => Annotation(d, "dapr.io/app-id")).ToList();
        var migrated = build.OfKind("Job")
            .Where(j => j.Node.Strings("spec.template.spec.containers.0.args").Contains("--migrate-only"))
            .Select(j => j.Node.Scalar("spec.template.metadata.labels.app\\.kubernetes\\.io/name")).ToList();

        sqlApps.Should().BeEquivalentTo([AppIds.Catalog, AppIds.Reservation, AppIds.Ordering, AppIds.Payment]);
        migrated.Should().BeEquivalentTo(sqlApps, "each SQL-owning app migrates its schema in a Job before it rolls out");
    }

    /// <summary>
    /// docs/operations.md applies a release in two phases by label: everything except component=server (namespace,
    /// settings, identities, Dapr resources, migration Jobs), wait for the Jobs, then the servers.
    /// </summary>
    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Release_phases_are_selectable_by_label(string environment)
    {
        var build = Deployables.Overlay(environment);
        build.Resources.Where(r => r.Kind is "Deployment" or "Service" or "HorizontalPodAutoscaler" or "PodDisruptionBudget" or "Ingress")
            .Should().OnlyContain(r => Component(r) == "server");
        build.OfKind("Job").Should().NotBeEmpty().And.OnlyContain(j => Component(j) == "migration");
        build.Resources.Where(r => r.Kind is "Namespace" or "ServiceAccount" or "ConfigMap" || r.IsDapr)
            .Should().OnlyContain(r => Component(r) != "server", "the migration Jobs need them before any server starts");
    }

    private static string? Component(YamlResource resource) => resource.Node.Scalar("metadata.labels.app\\.kubernetes\\.io/component");

    private static string? Annotation(YamlResource deployment, string name) =>
        deployment.Node.Map("spec.template.metadata.annotations")?.Entries().FirstOrDefault(e => e.Key == name).Value is YamlScalarNode s ? s.Value : null;

    private static string? Env(YamlMappingNode container, string name) => container.Scalar($"env.[name={name}].value");

    private static bool Selects(YamlMappingNode? selector, YamlMappingNode labels) =>
        selector is not null && selector.Entries().Any()
        && selector.Entries().All(e => labels.Scalar(FieldPathKey(e.Key)) == (e.Value as YamlScalarNode)?.Value);

    private static string FieldPathKey(string key) => key.Replace(".", "\\.");
}
