using LocalSidecar.Hosting;
using LocalSidecar.MultiApp;

namespace LocalSidecar.Tests;

public sealed class RunFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "dapr.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Apps_take_common_settings_where_they_leave_fields_empty_and_their_own_env_wins()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "components"));
        Directory.CreateDirectory(Path.Combine(_dir, "svc", "own"));
        var apps = RunFile.Load(Write("""
            version: 1
            common:
              resourcesPath: ./components
              env:
                LEVEL: common
                SHARED: yes
            apps:
            - appID: catalog
              appDirPath: ./svc
              appPort: 5101
              daprHTTPPort: 3501
              command: ["dotnet", "run"]
              env:
                LEVEL: app
            - appDirPath: ./svc/own
              resourcesPaths: [./]
            """));

        apps.Should().HaveCount(2);
        var catalog = apps[0];
        catalog.AppId.Should().Be("catalog");
        catalog.AppDirPath.Should().Be(Path.Combine(_dir, "svc"));
        catalog.AppPort.Should().Be(5101);
        catalog.DaprHttpPort.Should().Be(3501);
        catalog.DaprGrpcPort.Should().BeNull();
        catalog.Command.Should().Equal("dotnet", "run");
        catalog.ResourcesPaths.Should().Equal(Path.Combine(_dir, "components"));
        catalog.Env.Should().Contain("LEVEL", "app").And.Contain("SHARED", "yes");

        var own = apps[1];
        own.AppId.Should().Be("own", "the app id defaults to the folder name");
        own.ResourcesPaths.Should().ContainSingle().Which.Should().Be(Path.Combine(_dir, "svc", "own"), "paths inside an app resolve from its appDirPath");
    }

    [Fact]
    public void The_app_environment_carries_the_variables_the_dapr_cli_sets()
    {
        var app = new RunFileApp("web", _dir, 5000, null, null, ["x"], [], new Dictionary<string, string> { ["A"] = "1" }, "127.0.0.1", "http");
        var env = MultiAppRunner.AppEnvironment(app, new SidecarOptions { AppId = "web", HttpPort = 3600, GrpcPort = 50100, ApiToken = "t" });
        env.Should().Contain("APP_ID", "web").And.Contain("APP_PORT", "5000").And.Contain("DAPR_HTTP_PORT", "3600")
            .And.Contain("DAPR_GRPC_PORT", "50100").And.Contain("APP_PROTOCOL", "http").And.Contain("DAPR_API_TOKEN", "t").And.Contain("A", "1");
        env.Should().NotContainKey("APP_CHANNEL_ADDRESS", "the CLI sets it only for a non-default address");
    }

    [Theory]
    [InlineData("apps: []\n", "version")]
    [InlineData("version: 1\napps: []\n", "at least one app")]
    [InlineData("version: 1\napps:\n- appID: a\n", "appDirPath")]
    [InlineData("version: 1\napps:\n- appDirPath: .\n  appPort: lots\n", "not a port")]
    [InlineData("version: 1\napps:\n- appDirPath: .\n  appID: a\n- appDirPath: .\n  appID: a\n", "more than once")]
    [InlineData("version: 1\napps: [unclosed\n", "not valid YAML")]
    public void Invalid_run_files_get_a_clear_error_naming_the_file(string yaml, string expected)
    {
        var act = () => RunFile.Load(Write(yaml));
        act.Should().Throw<RunFileException>().Which.Message.Should().Contain("dapr.yaml").And.Contain(expected);
    }

    [Fact]
    public void Config_files_follow_the_clis_precedence_and_resolve_app_paths_from_appDirPath()
    {
        foreach (var dir in new[] { "conf", "svc/a", "svc/b/.dapr", "svc/c" })
            Directory.CreateDirectory(Path.Combine(_dir, dir));
        foreach (var file in new[] { "conf/common.yaml", "svc/a/own.yaml", "svc/b/.dapr/config.yaml" })
            File.WriteAllText(Path.Combine(_dir, file), "kind: Configuration\n");
        var apps = RunFile.Load(Write("""
            version: 1
            common:
              configFilePath: ./conf/common.yaml
            apps:
            - appID: a
              appDirPath: ./svc/a
              configFilePath: ./own.yaml
            - appID: b
              appDirPath: ./svc/b
            - appID: c
              appDirPath: ./svc/c
            """));

        apps[0].ConfigFilePath.Should().Be(Path.Combine(_dir, "svc", "a", "own.yaml"), "an app's path is relative to its appDirPath");
        apps[1].ConfigFilePath.Should().Be(Path.Combine(_dir, "svc", "b", ".dapr", "config.yaml"), "<appDirPath>/.dapr/config.yaml comes before common");
        apps[2].ConfigFilePath.Should().Be(Path.Combine(_dir, "conf", "common.yaml"), "common's path is relative to the run file");
    }

    [Fact]
    public void A_config_file_that_does_not_exist_is_refused()
    {
        var act = () => RunFile.Load(Write("version: 1\napps:\n- appDirPath: .\n  appID: a\n  configFilePath: ./missing.yaml\n"));
        act.Should().Throw<RunFileException>().Which.Message.Should().Contain("configFilePath './missing.yaml'").And.Contain("does not exist");
    }

    [Fact]
    public void Without_given_tokens_each_app_gets_fresh_random_ones_for_itself_and_its_sidecar()
    {
        var web = new RunFileApp("web", _dir, 5000, 3600, 50100, ["x"], [], new Dictionary<string, string>(), "127.0.0.1", "http");
        var catalog = web with { AppId = "catalog", DaprHttpPort = 3601, DaprGrpcPort = 50101 };
        var none = (string _) => (string?)null;

        var first = MultiAppRunner.SidecarOptionsFor(web, BackendKind.Memory, none);
        var other = MultiAppRunner.SidecarOptionsFor(catalog, BackendKind.Memory, none);
        var nextRun = MultiAppRunner.SidecarOptionsFor(web, BackendKind.Memory, none);

        first.ApiToken.Should().MatchRegex("^[0-9a-f]{64}$", "32 random bytes, hex");
        first.AppApiToken.Should().MatchRegex("^[0-9a-f]{64}$");
        new[] { first.ApiToken, first.AppApiToken, other.ApiToken, other.AppApiToken, nextRun.ApiToken, nextRun.AppApiToken }
            .Should().OnlyHaveUniqueItems("per app, per token, per run");
        var env = MultiAppRunner.AppEnvironment(web, first);
        env.Should().Contain("DAPR_API_TOKEN", first.ApiToken!).And.Contain("APP_API_TOKEN", first.AppApiToken!);
        MultiAppRunner.TokenNotice(web, none).Should().NotContain(first.ApiToken!).And.Contain("generated for this run");
    }

    [Fact]
    public void Tokens_given_by_the_run_file_or_the_environment_are_used_and_never_printed()
    {
        var app = new RunFileApp("web", _dir, 5000, 3600, 50100, ["x"], [], new Dictionary<string, string> { ["DAPR_API_TOKEN"] = "from-run-file" },
            "127.0.0.1", "http", Path.Combine(_dir, "config.yaml"));
        var environment = (string name) => name == "APP_API_TOKEN" ? "from-environment" : "ignored";

        var options = MultiAppRunner.SidecarOptionsFor(app, BackendKind.Memory, environment);
        options.ApiToken.Should().Be("from-run-file", "the run file's env wins over the environment");
        options.AppApiToken.Should().Be("from-environment");
        options.ConfigPaths.Should().Equal(Path.Combine(_dir, "config.yaml"));
        MultiAppRunner.TokenNotice(app, environment).Should().NotContain("from-run-file").And.NotContain("from-environment");
    }

    [Fact]
    public void A_folder_is_read_as_its_dapr_yaml()
    {
        Write("version: 1\napps:\n- appDirPath: .\n  appID: only\n");
        RunFile.Load(_dir).Single().AppId.Should().Be("only");
    }
}
