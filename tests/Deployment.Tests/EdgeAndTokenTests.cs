using System.Text.RegularExpressions;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// AKS: each app and its sidecar share the API tokens through Secrets the repository never holds; the only way in is
/// an Ingress that terminates TLS with the Key Vault certificate and redirects HTTP to HTTPS.
/// </summary>
public partial class EdgeAndTokenTests
{
    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void Every_app_container_gets_the_tokens_its_sidecar_gets_from_the_same_secrets(string environment)
    {
        var build = Deployables.Overlay(environment);
        var secrets = new List<string>();

        foreach (var deployment in build.OfKind("Deployment"))
        {
            var annotations = deployment.Node.Map("spec.template.metadata.annotations")!;
            var appId = annotations.Scalar("dapr\\.io/app-id")!;
            var container = deployment.Node.Map("spec.template.spec.containers.0")!;
            foreach (var (annotation, variable) in new[] { ("dapr\\.io/app-token-secret", "APP_API_TOKEN"), ("dapr\\.io/api-token-secret", "DAPR_API_TOKEN") })
            {
                var secret = annotations.Scalar(annotation);
                secret.Should().NotBeNullOrEmpty($"{appId}'s sidecar reads {variable} from a Secret");
                var env = container.Map($"env.[name={variable}]");
                env.Should().NotBeNull($"{appId}'s app needs {variable}: the same value its sidecar uses");
                env!.Scalar("value").Should().BeNull($"{appId}: a token value never lives in a manifest");
                env.Scalar("valueFrom.secretKeyRef.name").Should().Be(secret, $"{appId}: app and sidecar read one Secret");
                // The injector reads key "token" (dapr/dapr pkg/injector/patcher/sidecar_container.go).
                env.Scalar("valueFrom.secretKeyRef.key").Should().Be("token", appId);
                secrets.Add(secret!);
            }
        }

        secrets.Should().OnlyHaveUniqueItems("every app has its own two tokens");
        build.OfKind("Secret").Should().BeEmpty("Secrets are created per environment (docs/operations.md), never committed");
        Deployables.PlaceholderKeys(environment).Should().NotContain(["APP_API_TOKEN", "DAPR_API_TOKEN"]);
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public void The_ingress_terminates_tls_with_the_key_vault_certificate_for_its_hosts_and_redirects_http(string environment)
    {
        var ingress = Deployables.Overlay(environment).OfKind("Ingress").Should().ContainSingle().Subject;
        var hosts = ingress.Node.Sequence("spec.rules")!.Children.Select(r => r.Scalar("host")).ToList();
        var tls = ingress.Node.Sequence("spec.tls")!.Children.OfType<YamlMappingNode>().Should().ContainSingle().Subject;

        ingress.Node.Scalar("spec.ingressClassName").Should().Be("webapprouting.kubernetes.azure.com");
        tls.Strings("hosts").Should().Equal(hosts, "every host the Ingress serves is served over TLS");
        // The application routing add-on syncs the Key Vault certificate into the Secret keyvault-<Ingress name>.
        tls.Scalar("secretName").Should().Be($"keyvault-{ingress.Name}");
        var annotations = ingress.Node.Map("metadata.annotations")!;
        annotations.Scalar("kubernetes\\.azure\\.com/tls-cert-keyvault-uri").Should()
            .MatchRegex(UnversionedCertificateUri().ToString(), "an unversioned certificate URI, so a renewal is picked up");
        annotations.Scalar("nginx\\.ingress\\.kubernetes\\.io/ssl-redirect").Should().Be("true");
        annotations.Scalar("nginx\\.ingress\\.kubernetes\\.io/force-ssl-redirect").Should().Be("true");
        ingress.Node.Sequence("spec.rules")!.Children.SelectMany(r => r.Sequence("http.paths")!.Children)
            .Select(p => p.Scalar("backend.service.name")).Should().OnlyContain(name => name == AppIds.Web);
    }

    [GeneratedRegex(@"^https://[a-z0-9-]+\.vault\.azure\.net/certificates/[A-Za-z0-9-]+$")]
    private static partial Regex UnversionedCertificateUri();
}
