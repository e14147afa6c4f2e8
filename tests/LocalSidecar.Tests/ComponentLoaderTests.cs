using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.Tests;

public sealed class ComponentLoaderTests
{
    private static (List<ComponentSpec> Components, List<ComponentProblem> Problems) Load(string yaml, string appId = "app1")
    {
        var components = new List<ComponentSpec>();
        var problems = new List<ComponentProblem>();
        ComponentLoader.LoadFile("test.yaml", yaml, appId, null, components, problems);
        return (components, problems);
    }

    private const string Redis = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.redis
          version: v1
          metadata:
          - name: redisHost
            value: localhost:6379
          - name: keyPrefix
            value: "{appID}-x"
        """;

    [Fact]
    public void A_redis_state_component_is_read_with_its_metadata_and_placeholders()
    {
        var (components, problems) = Load(Redis);
        problems.Should().BeEmpty();
        var spec = components.Should().ContainSingle().Subject;
        spec.Name.Should().Be("statestore");
        spec.Type.Should().Be("state.redis");
        spec.Category.Should().Be("state");
        spec.Get("REDISHOST").Should().Be("localhost:6379", "metadata names are case-insensitive, as in daprd");
        spec.Get("keyPrefix").Should().Be("app1-x");
    }

    [Fact]
    public void Several_documents_in_one_file_are_all_read_and_an_empty_trailing_document_is_ignored()
    {
        var (components, problems) = Load(Redis + "\n---\n" + Redis.Replace("name: statestore", "name: cache") + "\n---\n");
        problems.Should().BeEmpty();
        components.Select(c => c.Name).Should().Equal("statestore", "cache");
    }

    [Fact]
    public void Broken_yaml_is_reported_with_the_file_and_line_and_skipped_not_thrown()
    {
        var (components, problems) = Load("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: [unclosed\n");
        components.Should().BeEmpty();
        var problem = problems.Should().ContainSingle().Subject;
        problem.File.Should().Be("test.yaml");
        problem.Message.Should().Contain("not valid YAML").And.Contain("line");
        problem.Fatal.Should().BeFalse("daprd skips a resource file it cannot parse");
    }

    [Fact]
    public void A_component_type_the_sidecar_cannot_serve_is_a_fatal_problem_naming_file_and_type()
    {
        var (components, problems) = Load(Redis.Replace("state.redis", "pubsub.azure.servicebus.topics"));
        components.Should().BeEmpty();
        var problem = problems.Should().ContainSingle().Subject;
        problem.Fatal.Should().BeTrue();
        problem.ToString().Should().Contain("test.yaml").And.Contain("pubsub.azure.servicebus.topics");
    }

    [Fact]
    public void A_component_scoped_to_other_apps_is_not_loaded()
    {
        var (components, problems) = Load(Redis + "\nscopes:\n- other-app\n");
        problems.Should().BeEmpty();
        components.Should().BeEmpty();
    }

    [Fact]
    public void A_component_scoped_to_this_app_is_loaded()
    {
        Load(Redis + "\nscopes:\n- app1\n").Components.Should().ContainSingle();
    }

    [Fact]
    public void EnvRef_reads_the_environment_and_refuses_dapr_variables()
    {
        Environment.SetEnvironmentVariable("LOADER_TEST_HOST", "redis.example:6380");
        var env = Redis.Replace("    value: localhost:6379", "    envRef: LOADER_TEST_HOST");
        Load(env).Components.Single().Get("redisHost").Should().Be("redis.example:6380");

        var refused = Load(Redis.Replace("    value: localhost:6379", "    envRef: DAPR_API_TOKEN"));
        refused.Problems.Should().ContainSingle(p => p.Fatal && p.Message.Contains("DAPR_API_TOKEN"));
    }

    [Fact]
    public void Other_resource_kinds_are_accepted_silently()
    {
        var (components, problems) = Load("apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata:\n  name: r\nspec: {}\n");
        components.Should().BeEmpty();
        problems.Should().BeEmpty();
    }

    [Fact]
    public void A_component_without_a_name_or_type_is_a_fatal_problem()
    {
        Load("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {}\nspec:\n  type: state.redis\n")
            .Problems.Should().ContainSingle(p => p.Fatal && p.Message.Contains("metadata.name"));
        Load("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec: {}\n")
            .Problems.Should().ContainSingle(p => p.Fatal && p.Message.Contains("spec.type"));
    }

    [Fact]
    public async Task A_sidecar_refuses_to_start_on_an_unservable_component_with_a_message_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("loader-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "bus.yaml"), Redis.Replace("state.redis", "bindings.kafka"));
            await using var cluster = new LocalCluster(BackendKind.Memory);
            var start = () => SidecarInstance.StartAsync(new SidecarOptions
            {
                AppId = "app1", HttpPort = 0, GrpcPort = 0, ResourcesPaths = [dir], Backend = BackendKind.Memory,
            }, cluster);
            (await start.Should().ThrowAsync<SidecarStartException>())
                .Which.Message.Should().Contain("bus.yaml").And.Contain("bindings.kafka");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Duplicate_component_names_across_files_are_fatal()
    {
        var dir = Directory.CreateTempSubdirectory("loader-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.yaml"), Redis);
            File.WriteAllText(Path.Combine(dir, "b.yaml"), Redis);
            ComponentLoader.Load([dir], "app1").Fatal.Should().ContainSingle(p => p.Message.Contains("more than once"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
