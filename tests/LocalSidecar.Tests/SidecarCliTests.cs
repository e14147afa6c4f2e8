using System.Diagnostics;
using System.Text;
using DaprReservations.Testing;
using LocalSidecar.Hosting;

namespace LocalSidecar.Tests;

/// <summary>The sidecar as a user starts it: bad input ends in a clear message and an exit code, never a stack trace.</summary>
public sealed class SidecarCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string ValidState = """
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
        """;

    [Fact]
    public async Task An_unservable_component_type_exits_1_naming_the_file_and_type()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "secrets.yaml"), ValidState.Replace("state.redis", "secretstores.azure.keyvault"));
        var (exitCode, output) = await RunToExit("--app-id", "cli", "--resources-path", _dir, "--backend", "memory",
            "--dapr-http-port", FreePort.Next().ToString(), "--dapr-grpc-port", FreePort.Next().ToString());
        exitCode.Should().Be(1, output);
        output.Should().Contain("secrets.yaml").And.Contain("secretstores.azure.keyvault").And.NotContain("   at ");
    }

    [Fact]
    public async Task A_malformed_yaml_file_is_skipped_with_a_warning_and_the_sidecar_still_serves()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "state.yaml"), ValidState);
        await File.WriteAllTextAsync(Path.Combine(_dir, "broken.yaml"), "kind: Component\nmetadata: [oops\n");
        var httpPort = FreePort.Next();
        var output = new StringBuilder();
        using var process = Start(output, "--app-id", "cli", "--resources-path", _dir, "--backend", "memory",
            "--dapr-http-port", httpPort.ToString(), "--dapr-grpc-port", FreePort.Next().ToString());
        try
        {
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            var healthy = false;
            while (!healthy && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    healthy = (await http.GetAsync($"http://127.0.0.1:{httpPort}/v1.0/healthz")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            healthy.Should().BeTrue(output.ToString());
            (await http.GetStringAsync($"http://127.0.0.1:{httpPort}/v1.0/metadata")).Should().Contain("statestore");
            lock (output)
                output.ToString().Should().Contain("broken.yaml").And.Contain("not valid YAML");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_configuration_daprd_would_refuse_exits_1_with_daprds_reason()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "state.yaml"), ValidState);
        var config = Path.Combine(_dir, "config.yaml"); // a Configuration in a resources folder is no component: ignored there
        await File.WriteAllTextAsync(config, "kind: Configuration\nspec:\n  accessControl:\n    policies:\n    - appId: web\n      namespace: default\n");
        var (exitCode, output) = await RunToExit("--app-id", "cli", "--resources-path", _dir, "--backend", "memory", "--config", config,
            "--dapr-http-port", FreePort.Next().ToString(), "--dapr-grpc-port", FreePort.Next().ToString());
        exitCode.Should().Be(1, output);
        output.Should().Contain(config).And.Contain("missing trustdomain for apps: [web]").And.NotContain("   at ");
    }

    [Fact]
    public void Config_flags_are_kept_in_order_as_absolute_paths()
    {
        var options = LocalSidecar.Cli.SidecarArguments.Parse(["--app-id", "a", "--config", "one.yaml", "--config", "/etc/two.yaml"]);
        options.ConfigPaths.Should().Equal(Path.GetFullPath("one.yaml"), "/etc/two.yaml");
    }

    [Fact]
    public async Task Missing_app_id_exits_2_with_the_usage()
    {
        var (exitCode, output) = await RunToExit("--dapr-http-port", "3999");
        exitCode.Should().Be(2);
        output.Should().Contain("--app-id is required").And.Contain("usage:");
    }

    [Fact]
    public async Task A_broken_run_file_exits_1_naming_it()
    {
        var file = Path.Combine(_dir, "dapr.yaml");
        await File.WriteAllTextAsync(file, "version: 1\napps: [unclosed\n");
        var (exitCode, output) = await RunToExit("run", "-f", file);
        exitCode.Should().Be(1);
        output.Should().Contain("dapr.yaml").And.Contain("not valid YAML").And.NotContain("   at ");
    }

    private static async Task<(int ExitCode, string Output)> RunToExit(params string[] args)
    {
        var output = new StringBuilder();
        using var process = Start(output, args);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the sidecar did not exit: " + output);
        }

        process.WaitForExit(); // drains the redirected output
        lock (output)
            return (process.ExitCode, output.ToString());
    }

    private static Process Start(StringBuilder output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoLayout.BuildOutput("tools/LocalSidecar", "LocalSidecar.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
