using System.Diagnostics;

namespace LocalSidecar.Conformance.Tests.Infrastructure;

/// <summary>
/// Starts a test's child process (redis-server, an app) under a small shell that stops it, and removes its folder,
/// within a second of the test host's end — also when vstest kills the host (blame or hang timeout) and no exit hook
/// or Dispose runs. Killing the returned process's tree stops both, as before.
/// </summary>
public static class ParentWatchdog
{
    public static ProcessStartInfo Wrap(string fileName, IEnumerable<string> arguments, string? removeOnExit = null)
    {
        var cleanup = removeOnExit is null ? "" : $"; rm -rf '{removeOnExit.Replace("'", "'\\''", StringComparison.Ordinal)}'";
        var script = "b=\"$1\"; shift; \"$b\" \"$@\" & r=$!; " +
            $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 1; done; " +
            "kill $r 2>/dev/null; wait $r" + cleanup;
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", script, "watchdog", fileName }.Concat(arguments))
            start.ArgumentList.Add(argument);
        return start;
    }
}
