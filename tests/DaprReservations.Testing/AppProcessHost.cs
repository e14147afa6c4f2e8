using System.Diagnostics;
using System.Text;
using LocalSidecar.Conformance.Tests.Infrastructure;

namespace DaprReservations.Testing;

/// <summary>One app as a child process: started with its Dapr environment, output kept for diagnostics.</summary>
internal sealed class AppProcessHost(AppSpec spec, IReadOnlyDictionary<string, string> env)
{
    private const int MaxLogChars = 200_000;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public AppSpec Spec { get; } = spec;

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepoLayout.Root, Spec.ProjectDir),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoLayout.BuildOutput(Spec.ProjectDir, Spec.AssemblyFile));
        foreach (var (key, value) in env)
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Spec.AppId}");
        ParentWatchdog.Watch(process); // a test host killed mid-run (no Dispose) leaves no app running
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
        {
            if (_log.Length > MaxLogChars)
                _log.Remove(0, _log.Length - MaxLogChars / 2);
            _log.AppendLine(line);
        }
    }

    public async Task StopAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }
}
