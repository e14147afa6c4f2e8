using System.Text.Json;
using System.Text.Json.Nodes;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;

namespace DaprReservations.Deployment.Tests;

/// <summary>The compiled ARM template of deploy/bicep/main.bicep, built once for the class.</summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    public ProcessResult Build { get; private set; } = new(-1, "", "");
    public JsonNode Template { get; private set; } = new JsonObject();

    public async Task InitializeAsync()
    {
        Build = await BicepCli.RunAsync("build", "main.bicep", "--stdout");
        if (Build.ExitCode == 0)
            Template = JsonNode.Parse(Build.StandardOutput)!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public IReadOnlyList<string> StringsOf(string variable) =>
        Template["variables"]?[variable]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
}

/// <summary>deploy/bicep: builds and lints clean offline, and agrees with the code and the component files.</summary>
public class BicepTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    [Fact]
    public void Main_bicep_builds_without_errors()
    {
        compiled.Build.ExitCode.Should().Be(0, compiled.Build.Output);
        compiled.Build.StandardError.Should().NotContain("Error ", compiled.Build.Output);
        compiled.Template["resources"].Should().NotBeNull();
    }

    [Fact]
    public async Task Main_bicep_lints_without_errors_or_warnings()
    {
        var lint = await BicepCli.RunAsync("lint", "main.bicep");

        lint.ExitCode.Should().Be(0, lint.Output);
        lint.Output.Should().NotContainAny(["Error ", "Warning "]);
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public async Task Parameter_file_builds_against_main_bicep(string environment)
    {
        var parameters = await Parameters(environment);

        parameters["environmentName"]?["value"]?.GetValue<string>().Should().Be(environment);
    }

    [Fact]
    public void Bicep_creates_an_identity_for_exactly_the_app_ids_of_the_code()
    {
        compiled.StringsOf("appIds").Should().Equal(AppIds.All);
    }

    [Fact]
    public void Bicep_topics_are_the_topics_of_the_code_and_subscribers_use_pubsub()
    {
        var topics = compiled.Template["variables"]!["topicSubscriptions"]!.AsArray();
        var pubsubScopes = Deployables.Scopes(Deployables.Component(Deployables.ComponentSet("azure"), Components.PubSub));

        topics.Select(t => t!["topic"]!.GetValue<string>()).Should().BeEquivalentTo(Deployables.TopicNames);
        topics.SelectMany(t => t!["subscribers"]!.AsArray().Select(s => s!.GetValue<string>()))
            .Should().BeSubsetOf(pubsubScopes, "a subscriber's sidecar must load the pubsub component");
    }

    [Fact]
    public void Bicep_subscriptions_are_the_subscriptions_of_the_code()
    {
        var topics = compiled.Template["variables"]!["topicSubscriptions"]!.AsArray();

        foreach (var topic in topics)
        {
            var name = topic!["topic"]!.GetValue<string>();
            topic["subscribers"]!.AsArray().Select(s => s!.GetValue<string>()).Should()
                .BeEquivalentTo(CodeTopology.Consumers[name], $"a Service Bus subscription per app that subscribes to {name} in the code");
        }
    }

    [Fact]
    public void Bicep_grants_service_bus_and_key_vault_to_the_apps_the_components_are_scoped_to()
    {
        var azure = Deployables.ComponentSet("azure");

        compiled.StringsOf("pubSubApps").Should().BeEquivalentTo(Deployables.Scopes(Deployables.Component(azure, Components.PubSub)));
        compiled.StringsOf("keyVaultApps").Should().BeEquivalentTo(Deployables.Scopes(Deployables.Component(azure, "azurekeyvault")));
    }

    [Fact]
    public void Bicep_sql_databases_are_the_apps_that_run_on_sql_server()
    {
        var sqlApps = Deployables.Overlay("prod").OfKind("Deployment")
            .Where(d => d.Node.Scalar("spec.template.spec.containers.0.env.[name=Database__Provider].value") == "SqlServer")
            .Select(d => d.Name);

        compiled.StringsOf("sqlApps").Should().BeEquivalentTo(sqlApps);
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public async Task Service_bus_redelivery_policy_equals_the_pubsub_component(string environment)
    {
        var parameters = await Parameters(environment);
        var pubsub = Deployables.Component(Deployables.ComponentSet("azure"), Components.PubSub);

        foreach (var (parameter, metadata) in new[] { ("maxDeliveryCount", "maxDeliveryCount"), ("lockDurationInSec", "lockDurationInSec") })
        {
            var value = parameters[parameter]?["value"]?.GetValue<int>()
                ?? compiled.Template["parameters"]![parameter]!["defaultValue"]!.GetValue<int>();
            Deployables.MetadataValue(pubsub, metadata).Should().Be(value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Bicep's {parameter} for {environment} and pubsub.yaml's {metadata} state one policy");
        }
    }

    [Fact]
    public void Aks_enforces_network_policies_and_lets_the_ingress_read_its_certificate_from_key_vault()
    {
        var cluster = ResourcesOfType(compiled.Template, "Microsoft.ContainerService/managedClusters").Should().ContainSingle().Subject["properties"]!;

        cluster["networkProfile"]?["networkPolicy"]?.GetValue<string>().Should()
            .BeOneOf(["cilium", "calico", "azure"], "without a policy engine AKS accepts NetworkPolicies and ignores them");
        cluster["ingressProfile"]!["webAppRouting"]!["enabled"]!.GetValue<bool>().Should().BeTrue();
        cluster["addonProfiles"]!["azureKeyvaultSecretsProvider"]!["enabled"]!.GetValue<bool>().Should().BeTrue("the add-on syncs the certificate with it");
        compiled.Template["resources"]!["aks"]!["properties"]!["template"]!["outputs"]!["webAppRoutingPrincipalId"]!["value"]!.GetValue<string>()
            .Should().Contain("ingressProfile.webAppRouting.identity.objectId");
        var access = compiled.Template["resources"]!["ingressCertificateAccess"]!["properties"]!;
        access["parameters"]!["principalId"]!["value"]!.GetValue<string>().Should().Contain("webAppRoutingPrincipalId");
        ResourcesOfType(access["template"]!, "Microsoft.Authorization/roleAssignments").Should().ContainSingle()
            .Which["properties"]!["roleDefinitionId"]!.GetValue<string>().Should().Contain("keyVaultSecretsUserRoleId");
    }

    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public async Task The_overlay_ingress_certificate_is_the_one_bicep_lets_the_add_on_read(string environment)
    {
        var parameters = await Parameters(environment);
        var certificate = parameters["ingressCertificateName"]?["value"]?.GetValue<string>()
            ?? compiled.Template["parameters"]!["ingressCertificateName"]!["defaultValue"]!.GetValue<string>();
        var uri = Deployables.Overlay(environment).Find("ConfigMap", "azure-settings")!.Node.Scalar("data.INGRESS_TLS_CERT_URI");
        var keyVault = Deployables.Overlay(environment).Find("ConfigMap", "azure-settings")!.Node.Scalar("data.KEY_VAULT_NAME");

        compiled.Template["outputs"]!["ingressTlsCertificateUri"]!["value"]!.GetValue<string>().Should().Contain("certificates/");
        uri.Should().Be($"https://{keyVault}.vault.azure.net/certificates/{certificate}", "INGRESS_TLS_CERT_URI is Bicep's output");
    }

    /// <summary>
    /// Bicep does not create the Entra ID registrations (deploy/entra does); it passes their client ids through to the
    /// outputs beside the tenant's v2 authority, which are the overlay's sign-in settings.
    /// </summary>
    [Theory]
    [MemberData(nameof(Deployables.Environments), MemberType = typeof(Deployables))]
    public async Task The_overlay_sign_in_settings_are_the_bicep_outputs(string environment)
    {
        var parameters = await Parameters(environment);
        var settings = Deployables.Overlay(environment).Find("ConfigMap", "azure-settings")!.Node;
        var outputs = compiled.Template["outputs"]!;

        outputs["tenantId"]!["value"]!.GetValue<string>().Should().Be("[tenant().tenantId]");
        outputs["entraAuthority"]!["value"]!.GetValue<string>().Should()
            .Be("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, tenant().tenantId)]", "the v2 issuer of the deploying tenant");
        ResourcesOfType(compiled.Template, "Microsoft.Graph/applications").Should().BeEmpty("registrations are made by deploy/entra/register.sh");
        var api = parameters["entraApiClientId"]!["value"]!.GetValue<string>();
        var web = parameters["entraWebClientId"]!["value"]!.GetValue<string>();
        settings.Scalar("data.Auth__Audience").Should().Be(api, "Bicep's entraApiClientId output");
        settings.Scalar("data.SignIn__ClientId").Should().Be(web, "Bicep's entraWebClientId output");
        settings.Scalar("data.SignIn__ApiScope").Should().Be($"api://{api}/access_as_user", "Bicep's entraApiScope output");
        compiled.Template["parameters"]!["webSignInSecretName"]!["defaultValue"]!.GetValue<string>().Should().Be("web-signin-client-secret");
    }

    private static IEnumerable<JsonNode> ResourcesOfType(JsonNode node, string type) => node switch
    {
        JsonObject o when o["type"] is JsonValue v && v.TryGetValue<string>(out var t) && t == type => [o],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : ResourcesOfType(p.Value, type)),
        JsonArray a => a.SelectMany(n => n is null ? [] : ResourcesOfType(n, type)),
        _ => [],
    };

    private static async Task<JsonNode> Parameters(string environment)
    {
        var result = await BicepCli.RunAsync("build-params", $"parameters.{environment}.bicepparam", "--stdout");
        result.ExitCode.Should().Be(0, result.Output);
        var parametersJson = JsonNode.Parse(result.StandardOutput)!["parametersJson"]!.GetValue<string>();
        return JsonNode.Parse(parametersJson, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!["parameters"]!;
    }
}
