using System.Runtime.InteropServices;
using Fuzz;
using Fuzz.Run;

// Usage: see FuzzOptions.Usage (dotnet run --project tools/Fuzz -- --help). Exit code: 0 when no request got a 5xx
// (or no answer) and the state check found nothing changed; 1 otherwise; 2 for bad arguments; 130 after Ctrl+C.
FuzzOptions options;
try
{
    options = FuzzOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

// Ctrl+C and SIGTERM cancel the run instead of killing this process, so the apps, sidecars, Redis and the temp folder
// it started are stopped and removed (by process id) on the way out.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("stopping: cancelling the run, then stopping everything this command started ...");
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    var result = await FuzzRunner.RunAsync(options, stop.Token, report: Console.Out);
    return result.Cancelled ? 130 : result.Passed ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled; everything this command started is stopped");
    return 130;
}
catch (Exception ex)
{
    // Returning (not crashing) lets the exit hooks stop what is still running.
    Console.Error.WriteLine($"the fuzz run failed: {ex}");
    return 1;
}
