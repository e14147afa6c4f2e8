using LocalSidecar.Hosting;

namespace LocalSidecar.Cli;

/// <summary>Entry point: <c>sidecar</c> mode (one daprd stand-in) for now; multi-app mode is added by MultiApp.</summary>
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

        try
        {
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
        catch (SidecarStartException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
