using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Deployment.Tests.Infrastructure;

namespace DaprReservations.Deployment.Tests;

/// <summary>components/local and components/azure: same names, sound scopes, the Azure security settings.</summary>
public class DaprComponentTests
{
    public static readonly TheoryData<string> ComponentSets = new() { "local", "azure" };

    /// <summary>web's server-side sign-in sessions and its Data Protection key ring (the BFF's store).</summary>
    public const string SessionStore = "sessionstore";

    [Fact]
    public void Local_and_azure_define_the_same_components_of_the_same_type_but_the_secret_store()
    {
        static Dictionary<string, string?> Types(string set) => Deployables.ComponentSet(set)
            .Where(r => r.Kind == "Component" && !(r.Node.Scalar("spec.type") ?? "").StartsWith("secretstores.", StringComparison.Ordinal))
            .ToDictionary(r => r.Name, r => r.Node.Scalar("spec.type"));
        var local = Types("local");
        var azure = Types("azure");

        local.Keys.Should().BeEquivalentTo(azure.Keys, "services name one component per role in every environment");
        foreach (var name in local.Keys.Where(n => n != Components.PubSub))
            local[name].Should().Be(azure[name], $"{name}: only the backing service's address and credentials differ");
    }

    /// <summary>A user's tokens sit in the session store: no app but web may load it, here or on Azure.</summary>
    [Theory]
    [MemberData(nameof(ComponentSets))]
    public void Only_web_loads_the_session_store(string set)
    {
        var sessions = Deployables.Component(Deployables.ComponentSet(set), SessionStore);

        sessions.Node.Scalar("spec.type").Should().Be("state.redis");
        Deployables.Scopes(sessions).Should().Equal([AppIds.Web], "sessions and web's key ring are web's alone");
        Deployables.MetadataValue(sessions, "actorStateStore").Should().BeNull("actors must never land among the sessions");
    }

    /// <summary>
    /// On Azure every component is scoped; web, which only forwards, loads its session store and the secret store that
    /// holds that store's Redis key, nothing else (no state, cache, lock or events of the services).
    /// </summary>
    [Fact]
    public void On_azure_web_loads_only_its_session_store_and_the_key_vault_behind_it()
    {
        var azure = Deployables.ComponentSet("azure").Where(r => r.Kind == "Component").ToList();

        azure.Should().OnlyContain(c => Deployables.Scopes(c).Count > 0, "an unscoped component is loaded by every sidecar");
        azure.Where(c => Deployables.Scopes(c).Contains(AppIds.Web)).Select(c => c.Name)
            .Should().BeEquivalentTo([SessionStore, Deployables.Component(azure, SessionStore).Node.Scalar("auth.secretStore")]);
    }

    [Theory]
    [MemberData(nameof(ComponentSets))]
    public void Every_component_name_of_the_code_exists_in_the_set(string set)
    {
        var names = Deployables.ComponentSet(set).Where(r => r.Kind == "Component").Select(r => r.Name);

        names.Should().Contain(Deployables.ComponentNames, $"services use these names and components/{set} must serve each");
    }

    [Theory]
    [MemberData(nameof(ComponentSets))]
    public void Component_scopes_name_only_known_app_ids(string set)
    {
        foreach (var resource in Deployables.ComponentSet(set))
            Deployables.Scopes(resource).Should().BeSubsetOf(AppIds.All, $"{resource} may only be scoped to app ids of AppIds");
    }

    [Theory]
    [MemberData(nameof(ComponentSets))]
    public void Every_component_file_passes_the_dapr_schema_check(string set)
    {
        var problems = Deployables.ComponentSet(set).SelectMany(DaprResourceSchema.Check);

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Resiliency_and_configurations_pass_the_dapr_schema_check()
    {
        var problems = Deployables.ConfigurationFiles().Append(Deployables.SharedDaprFile("resiliency.yaml")).SelectMany(DaprResourceSchema.Check);

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Resiliency_targets_name_only_known_apps_and_components()
    {
        var resiliency = Deployables.SharedDaprFile("resiliency.yaml").Node;

        resiliency.Map("spec.targets.apps").Keys().Should().BeSubsetOf(AppIds.All);
        resiliency.Map("spec.targets.components").Keys().Should().BeSubsetOf(Deployables.ComponentNames);
        resiliency.Map("spec.targets.components.pubsub.inbound").Should().NotBeNull("redelivered events need a bounded inbound retry");
    }

    [Fact]
    public void Azure_components_that_read_secrets_are_scoped_within_their_secret_store()
    {
        var azure = Deployables.ComponentSet("azure");
        foreach (var component in azure.Where(c => c.Node.Scalar("auth.secretStore") is not null))
        {
            var storeName = component.Node.Scalar("auth.secretStore")!;
            var store = azure.SingleOrDefault(c => c.Name == storeName && (c.Node.Scalar("spec.type") ?? "").StartsWith("secretstores.", StringComparison.Ordinal));
            store.Should().NotBeNull($"{component} reads secrets from '{storeName}', which components/azure must define");
            Deployables.Scopes(component).Should().NotBeEmpty($"{component} must be scoped");
            Deployables.Scopes(component).Should().BeSubsetOf(Deployables.Scopes(store!),
                $"an app that loads {component.Name} must also load its secret store {storeName}");
        }
    }

    [Fact]
    public void Azure_redis_components_use_tls_and_a_password_from_key_vault()
    {
        var redis = Deployables.ComponentSet("azure").Where(c => c.Node.Scalar("spec.type") is "state.redis" or "lock.redis").ToList();

        redis.Select(r => r.Name).Should().Contain([Components.StateStore, Components.Cache, Components.LockStore, SessionStore]);
        foreach (var component in redis)
        {
            Deployables.MetadataValue(component, "enableTLS").Should().Be("true", $"{component}: Azure Cache for Redis is TLS only");
            Deployables.MetadataValue(component, "redisHost").Should().EndWith(":6380", $"{component}: 6380 is the TLS port");
            Deployables.Metadata(component, "redisPassword").Should().NotBeNull();
            Deployables.Metadata(component, "redisPassword")!.Map("secretKeyRef").Should().NotBeNull($"{component}: the key comes from Key Vault");
        }
    }

    [Fact]
    public void Azure_pubsub_authenticates_with_entra_id_only()
    {
        var pubsub = Deployables.Component(Deployables.ComponentSet("azure"), Components.PubSub);

        pubsub.Node.Scalar("spec.type").Should().Be("pubsub.azure.servicebus.topics");
        Deployables.MetadataValue(pubsub, "namespaceName").Should().EndWith(".servicebus.windows.net");
        Deployables.Metadata(pubsub, "connectionString").Should().BeNull("Service Bus is reached with workload identity, not a key");
        Deployables.Metadata(pubsub, "consumerID").Should().BeNull("the default consumerID (the app id) names the Bicep subscriptions");
        foreach (var setting in new[] { "maxDeliveryCount", "lockDurationInSec", "maxConcurrentHandlers" })
            int.TryParse(Deployables.MetadataValue(pubsub, setting), out _).Should().BeTrue($"{setting} must be set as a number");
    }

    [Theory]
    [MemberData(nameof(ComponentSets))]
    public void Lock_store_shares_one_lock_namespace_across_apps(string set)
    {
        var lockStore = Deployables.Component(Deployables.ComponentSet(set), Components.LockStore);

        Deployables.MetadataValue(lockStore, "keyPrefix").Should().Be("name", "with the default (appid) two apps would not exclude each other");
    }
}
