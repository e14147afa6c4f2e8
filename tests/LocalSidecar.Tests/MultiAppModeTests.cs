using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DaprReservations.Testing;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;

namespace LocalSidecar.Tests;

/// <summary>
/// `LocalSidecar run -f dapr.yaml` as a user runs it: a real process that starts two sidecars and two app processes
/// (the TwoAppSample, using only the official SDK). Invocation, pub/sub and an actor call must work across them,
/// and Ctrl+C must stop everything.
/// </summary>
[Collection(SampleAppsCollection.Name)]
public sealed class MultiAppModeTests
{
    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task Two_apps_invoke_publish_and_call_an_actor_through_their_sidecars_then_stop_on_ctrl_c(string backend)
    {
        var dir = Directory.CreateTempSubdirectory("multiapp-").FullName;
        var redisHost = backend == "redis" ? RedisServer.Instance.Host : "embedded:6379";
        var (frontPort, frontHttp, frontGrpc) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var (backPort, backHttp, backGrpc) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        SystemComponents.Write(Path.Combine(dir, "components"), redisHost, []);
        var sample = RepoLayout.BuildOutput("tests/SampleApps/TwoAppSample", "TwoAppSample.dll");
        await File.WriteAllTextAsync(Path.Combine(dir, "dapr.yaml"), $"""
            version: 1
            common:
              resourcesPath: ./components
            apps:
            - appID: front
              appDirPath: .
              appPort: {frontPort}
              daprHTTPPort: {frontHttp}
              daprGRPCPort: {frontGrpc}
              command: ["dotnet", "{sample}"]
            - appID: back
              appDirPath: .
              appPort: {backPort}
              daprHTTPPort: {backHttp}
              daprGRPCPort: {backGrpc}
              command: ["dotnet", "{sample}"]
            """);

        var output = new StringBuilder();
        using var runner = StartRunner(dir, backend, output);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            await Eventually(async () => (await http.GetAsync($"http://127.0.0.1:{frontPort}/healthz")).IsSuccessStatusCode
                && (await http.GetAsync($"http://127.0.0.1:{backPort}/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), output);

            var runId = Guid.NewGuid().ToString("N");
            // As with daprd, actor placement is learnt from the app's /dapr/config after the app is up: the first call
            // can arrive before "back" hosts CounterActor ("did not find address"); it fails without side effects.
            var response = await http.PostAsync($"http://127.0.0.1:{frontHttp}/v1.0/invoke/front/method/e2e/{runId}", null);
            var body = await response.Content.ReadAsStringAsync();
            for (var attempt = 0; attempt < 20 && response.StatusCode == System.Net.HttpStatusCode.InternalServerError; attempt++)
            {
                response.Dispose();
                await Task.Delay(500);
                response = await http.PostAsync($"http://127.0.0.1:{frontHttp}/v1.0/invoke/front/method/e2e/{runId}", null);
                body = await response.Content.ReadAsStringAsync();
            }

            using var _ = response;
            response.IsSuccessStatusCode.Should().BeTrue($"front answered {(int)response.StatusCode}: {body}\n{output}");
            using var result = JsonDocument.Parse(body);
            result.RootElement.GetProperty("greeting").GetString().Should().Be($"hello {runId} from back (caller front)");
            result.RootElement.GetProperty("count").GetInt32().Should().Be(2, "the actor kept its state between two calls");

            await Eventually(async () =>
            {
                var events = await http.GetFromJsonAsync<string[]>($"http://127.0.0.1:{frontHttp}/v1.0/invoke/back/method/events");
                return events!.Contains(runId);
            }, TimeSpan.FromSeconds(15), output);
        }
        finally
        {
            Signal(runner.Id, "INT");
            var exited = runner.WaitForExit(TimeSpan.FromSeconds(90)); // generous: the suite runs test projects side by side on 2 cores
            if (!exited)
                runner.Kill(entireProcessTree: true);
            exited.Should().BeTrue($"Ctrl+C must stop the runner\n{output}");
            Directory.Delete(dir, recursive: true);
        }

        runner.ExitCode.Should().Be(0, output.ToString());
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var appStillUp = async () => await probe.GetAsync($"http://127.0.0.1:{frontPort}/healthz");
        await appStillUp.Should().ThrowAsync<HttpRequestException>("the app processes are stopped with the runner");
    }

    private static Process StartRunner(string dir, string backend, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepoLayout.BuildOutput("tools/LocalSidecar", "LocalSidecar.dll"), "run", "-f", Path.Combine(dir, "dapr.yaml"), "--backend", backend },
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Signal(int pid, string signal) => Process.Start("kill", $"-{signal} {pid}")!.WaitForExit();

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"condition not met within {timeout.TotalSeconds}s ({last?.Message})\n{output}");
    }
}
