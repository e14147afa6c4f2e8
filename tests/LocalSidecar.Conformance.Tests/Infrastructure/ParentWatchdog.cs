using System.Diagnostics;

namespace LocalSidecar.Conformance.Tests.Infrastructure;

/// <summary>
/// Stops a test's child process (redis-server, an app), and removes its folder, within a second of the test host's
/// end — also when vstest kills the host (blame or hang timeout) and no exit hook or Dispose runs. A small shell beside
/// the child watches both ids; the child stays the test's own direct child, so stopping it as before is unchanged, and
/// the watchdog then ends by itself.
/// </summary>
public static class ParentWatchdog
{
    public static void Watch(Process child, string? removeOnExit = null)
    {
        var cleanup = removeOnExit is null ? "" : $"; rm -rf '{removeOnExit.Replace("'", "'\\''", StringComparison.Ordinal)}'";
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            // Its own pipes, never the test host's: a runner waiting for the host's output to close must not wait on it.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(
            $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {child.Id} 2>/dev/null; do sleep 1; done; " +
            $"kill -9 {child.Id} 2>/dev/null{cleanup}");
        using var watchdog = Process.Start(start);
    }
}
