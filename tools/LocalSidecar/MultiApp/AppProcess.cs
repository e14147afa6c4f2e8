using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LocalSidecar.MultiApp;

/// <summary>One app's process, its output prefixed with the app id like the Dapr CLI (<c>== APP - id ==</c>).</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(string appId, Process process)
    {
        AppId = appId;
        _process = process;
    }

    public string AppId { get; }
    public bool HasExited => _process.HasExited;
    public Task Exited => _process.WaitForExitAsync();
    public int Id => _process.Id;

    public static AppProcess Start(RunFileApp app, IReadOnlyDictionary<string, string> env, TextWriter output)
    {
        var start = new ProcessStartInfo(app.Command[0])
        {
            WorkingDirectory = app.AppDirPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in app.Command.Skip(1))
            start.ArgumentList.Add(arg);
        foreach (var (k, v) in env)
            start.Environment[k] = v;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{app.Command[0]}' for app '{app.AppId}'");
        var prefix = $"== APP - {app.AppId} == ";
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(prefix + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(prefix + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(app.AppId, process);
    }

    /// <summary>SIGTERM first so ASP.NET apps shut down gracefully; the whole tree is killed if it lingers.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
            return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Kill(_process.Id, 15);
        else
            _process.Kill(entireProcessTree: true);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
