using System.Diagnostics;
using System.Net.Sockets;
using LocalSidecar.Hosting;

namespace LocalSidecar.Conformance.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port, started once per test run and killed when the run ends.
/// Fails with a clear message when the binary is missing (install it: apt-get install redis-server).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly Lazy<RedisServer> Shared = new(() =>
    {
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process _process;
    private readonly string _dir;

    private RedisServer(Process process, int port, string dir)
    {
        _process = process;
        Port = port;
        _dir = dir;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The run-wide server. Tests isolate themselves with unique keys, never by flushing.</summary>
    public static RedisServer Instance => Shared.Value;

    public static RedisServer Start()
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(
            "redis-server was not found on PATH (nor in /usr/bin, /usr/local/bin). Install it, e.g. " +
            "'apt-get install -y redis-server', or run the suite through 'bash .ci/run', which installs it.");
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("redis-test-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        // A test host killed without running its exit hook leaves no server or folder behind.
        ParentWatchdog.Watch(process, dir);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {port}");
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return new RedisServer(process, port, dir);
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"redis-server did not accept connections on port {port} within 10 s");
    }

    private static string? FindBinary()
    {
        var paths = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/local/bin"]);
        return paths.Select(p => Path.Combine(p, "redis-server")).FirstOrDefault(File.Exists);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
