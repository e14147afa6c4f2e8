using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DaprReservations.Testing;

namespace LocalSidecar.Tests;

/// <summary>
/// `pwsh tye-free-run.ps1` as a developer runs it (PowerShell from the repo's tool manifest): the whole system of
/// dapr.yaml comes up on the embedded backend, answers through its sidecars, and Ctrl+C stops every process.
/// Uses dapr.yaml's fixed ports (3500-3505, 5100-5105, 50010-50015), which no other test uses. A person signs in at the
/// web app through the local provider (tools/DevIdentity) with exactly dapr.yaml's settings.
/// </summary>
public sealed class TyeFreeRunTests
{
    [Fact]
    public async Task The_script_runs_the_system_which_answers_through_dapr_and_ctrl_c_stops_it()
    {
        var output = new StringBuilder();
        // The local sidecar would otherwise generate a token per app, which only the apps know; the test calls the
        // sidecars directly, so it hands every sidecar one token through the environment.
        var apiToken = LocalSidecar.MultiApp.MultiAppRunner.NewToken();
        var start = new ProcessStartInfo("dotnet")
        {
            Environment = { ["DAPR_API_TOKEN"] = apiToken },
            WorkingDirectory = RepoLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", "tye-free-run.ps1",
                     "-Runtime", "local", "-Backend", "memory", "-Configuration", RepoLayout.Configuration, "-NoBuild" })
            start.ArgumentList.Add(arg);
        using var script = Process.Start(start)!;
        script.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("dapr-api-token", apiToken);
        try
        {
            await Eventually(async () =>
                (await http.GetAsync("http://127.0.0.1:3501/v1.0/invoke/catalog/method/healthz")).IsSuccessStatusCode &&
                (await http.GetAsync("http://127.0.0.1:3502/v1.0/invoke/reservation/method/healthz")).IsSuccessStatusCode &&
                (await http.GetAsync("http://127.0.0.1:5100/healthz")).IsSuccessStatusCode &&
                (await http.GetAsync("http://127.0.0.1:5105/healthz")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(120), output, script);
            lock (output)
                output.ToString().Should().Contain("http://127.0.0.1:5101/swagger", "the script prints each app's URL");

            (await SignInAsBrowserAsync("alice")).Should().Be("alice", "a newcomer signs in at the web app with a demo user");

            // As a script does: a token from the provider's scripted grant, then the catalog's admin API through the
            // web app's proxy and its sidecar.
            var token = await DevIdentityGrant.TokenAsync(new Uri("http://127.0.0.1:5105/"), "admin");
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var resource = await http.PostAsJsonAsync("http://127.0.0.1:5100/api/catalog/admin/resources",
                new { kind = "event", name = "Script check" });
            resource.StatusCode.Should().Be(HttpStatusCode.Created, Snapshot(output));
            var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            using var slot = await http.PostAsJsonAsync($"http://127.0.0.1:5100/api/catalog/admin/resources/{resourceId}/slots",
                new { start = DateTimeOffset.UtcNow.AddDays(3), end = DateTimeOffset.UtcNow.AddDays(3).AddHours(2), capacity = 1, price = 10m });
            slot.StatusCode.Should().Be(HttpStatusCode.Created, Snapshot(output));
            var slotId = (await slot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            using var first = await http.PostAsJsonAsync("http://127.0.0.1:3502/v1.0/invoke/reservation/method/holds", new { slotId, quantity = 1 });
            using var second = await http.PostAsJsonAsync("http://127.0.0.1:3502/v1.0/invoke/reservation/method/holds", new { slotId, quantity = 1 });
            first.StatusCode.Should().Be(HttpStatusCode.Created, Snapshot(output));
            second.StatusCode.Should().Be(HttpStatusCode.Conflict, "the only seat is held");
        }
        finally
        {
            // Ctrl+C in a terminal signals the whole foreground process group: the tool launcher, pwsh, the runner and
            // the apps. The test host shares our process group, so signal the script's process tree instead.
            foreach (var pid in DescendantsOf(script.Id).Prepend(script.Id))
                Process.Start("kill", $"-INT {pid}")!.WaitForExit();
            if (!script.WaitForExit(TimeSpan.FromSeconds(120)))
                script.Kill(entireProcessTree: true);
        }

        script.ExitCode.Should().Be(0, Snapshot(output));
        var stillUp = () => http.GetAsync("http://127.0.0.1:5101/healthz");
        await stillUp.Should().ThrowAsync<HttpRequestException>("Ctrl+C stops the apps too");
    }

    /// <summary>
    /// What a browser does: the web app's sign-in, the provider's login page (its form and antiforgery token), the
    /// demo user's button, the code back at the web app, which redeems it with dapr.yaml's client secret. Returns who
    /// the web app then says is signed in.
    /// </summary>
    private static async Task<string?> SignInAsBrowserAsync(string user)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var loginPage = await browser.GetAsync("http://127.0.0.1:5100/bff/login?returnUrl=%2F%23%2Forders");
        loginPage.RequestMessage!.RequestUri!.AbsoluteUri.Should().StartWith("http://127.0.0.1:5105/account/login");
        var html = await loginPage.Content.ReadAsStringAsync();
        html.Should().Contain($"data-testid=\"login-{user}\"");

        using var back = await browser.PostAsync(loginPage.RequestMessage.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Hidden(html, "__RequestVerificationToken"),
            ["ReturnUrl"] = Hidden(html, "ReturnUrl"),
            ["username"] = user,
        }));
        back.StatusCode.Should().Be(HttpStatusCode.OK);
        back.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path).Should().Be("http://127.0.0.1:5100/", "back at the web app's page");

        var me = await browser.GetFromJsonAsync<JsonElement>("http://127.0.0.1:5100/bff/user");
        return me.GetProperty("signedIn").GetBoolean() ? me.GetProperty("sub").GetString() : null;
    }

    private static string Hidden(string html, string name) => WebUtility.HtmlDecode(
        System.Text.RegularExpressions.Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    private static List<int> DescendantsOf(int pid)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", $"-P {pid}") { RedirectStandardOutput = true })!;
        var children = pgrep.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        pgrep.WaitForExit();
        return children.Concat(children.SelectMany(DescendantsOf)).ToList();
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, StringBuilder output, Process script)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (script.HasExited)
                throw new InvalidOperationException($"the script exited early ({script.ExitCode}):\n{Snapshot(output)}");
            try
            {
                if (await condition())
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the system did not come up within {timeout.TotalSeconds:0}s:\n{Snapshot(output)}");
    }
}
