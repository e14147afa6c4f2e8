using System.Runtime.InteropServices;
using LocalSidecar.Hosting;
using LocalSidecar.MultiApp;

namespace LocalSidecar.Cli;

/// <summary>
/// <c>LocalSidecar run -f dapr.yaml [--backend redis|memory]</c>: every app of a run file, like <c>dapr run -f</c>.
/// <c>LocalSidecar --app-id ... [daprd flags]</c>: one sidecar, like daprd.
/// </summary>
public static class SidecarCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            if (args.Length > 0 && args[0] == "run")
                return await RunFileAsync(args[1..], stop.Token);

            var options = SidecarArguments.Parse(args);
            await using var cluster = new LocalCluster(options.Backend);
            await using var sidecar = await SidecarInstance.StartAsync(options, cluster, cancellationToken: stop.Token);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, sidecar.Stopping);
            await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            await Console.Error.WriteLineAsync(SidecarArguments.Usage);
            return 2;
        }
        catch (Exception ex) when (ex is SidecarStartException or RunFileException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static Task<int> RunFileAsync(string[] args, CancellationToken stop)
    {
        string? file = null;
        BackendKind? backend = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-f" or "--run-file" when i + 1 < args.Length:
                    file = args[++i];
                    break;
                case "--backend" when i + 1 < args.Length:
                    backend = args[++i] switch
                    {
                        "redis" => BackendKind.Redis,
                        "memory" => BackendKind.Memory,
                        "auto" => null,
                        var other => throw new ArgumentException($"--backend must be redis, memory or auto, not '{other}'"),
                    };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (run -f <dapr.yaml|dir> [--backend redis|memory|auto])");
            }
        }

        return MultiAppRunner.RunAsync(file ?? ".", backend, stop);
    }
}
