using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DaprReservations.Testing;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;
using LocalSidecar.MultiApp;

namespace LocalSidecar.Tests;

/// <summary>
/// `LocalSidecar run -f dapr.yaml` as a user runs it: a real process that starts two sidecars and two app processes
/// (the TwoAppSample, using only the official SDK). Invocation, pub/sub and an actor call must work across them,
/// and Ctrl+C must stop everything. The run file's common configFilePath (accessControl) and the API token given by
/// the environment are honoured, and the token never appears in the output.
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
        // back admits from front what the sample calls (greet, the event list); the subscription route is not among it.
        await File.WriteAllTextAsync(Path.Combine(dir, "config.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: two-apps
            spec:
              tracing:
                samplingRate: "1"
              accessControl:
                defaultAction: deny
                trustDomain: public
                policies:
                - appId: front
                  defaultAction: deny
                  trustDomain: public
                  namespace: default
                  operations:
                  - name: /greet/*
                    httpVerb: ["GET"]
                    action: allow
                  - name: /events
                    httpVerb: ["GET"]
                    action: allow
            """);
        var apiToken = MultiAppRunner.NewToken();
        var sample = RepoLayout.BuildOutput("tests/SampleApps/TwoAppSample", "TwoAppSample.dll");
        await File.WriteAllTextAsync(Path.Combine(dir, "dapr.yaml"), $"""
            version: 1
            common:
              resourcesPath: ./components
              configFilePath: ./config.yaml
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
        using var runner = StartRunner(dir, backend, apiToken, output);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("dapr-api-token", apiToken);
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

            using var subscriptionRoute = await http.PostAsync($"http://127.0.0.1:{frontHttp}/v1.0/invoke/back/method/events/greetings", null);
            subscriptionRoute.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden, "back's accessControl does not list it for front");
            using var anonymous = await new HttpClient().GetAsync($"http://127.0.0.1:{frontHttp}/v1.0/metadata");
            anonymous.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "the sidecar requires the token it was given");
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
        output.ToString().Should().NotContain(apiToken, "no token is printed").And.Contain("DAPR_API_TOKEN environment")
            .And.Contain("APP_API_TOKEN generated for this run");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var appStillUp = async () => await probe.GetAsync($"http://127.0.0.1:{frontPort}/healthz");
        await appStillUp.Should().ThrowAsync<HttpRequestException>("the app processes are stopped with the runner");
    }

    private static Process StartRunner(string dir, string backend, string apiToken, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            Environment = { ["DAPR_API_TOKEN"] = apiToken },
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
