using System.Diagnostics;
using System.Net.Sockets;
using Dapr.Client;
using HdrHistogram;

// Usage: dotnet run -c Release --project tools/SidecarBench -- [--backend memory|redis] [--redis 127.0.0.1:6379] [--n 20000]
// Starts tools/LocalSidecar as a separate process on free loopback ports, then measures one sequential client:
// DaprClient.GetStateAsync (gRPC, what services use) and HTTP GET /v1.0/state (what the SDK-less frontends use).
var backend = Arg("--backend") ?? "memory";
var redis = Arg("--redis") ?? "127.0.0.1:6379";
var n = int.Parse(Arg("--n") ?? "20000");

var dir = Directory.CreateTempSubdirectory("sidecar-bench-").FullName;
File.WriteAllText(Path.Combine(dir, "statestore.yaml"), $"""
    apiVersion: dapr.io/v1alpha1
    kind: Component
    metadata:
      name: statestore
    spec:
      type: state.redis
      version: v1
      metadata:
      - name: redisHost
        value: "{redis}"
    """);
var (httpPort, grpcPort) = (FreePort(), FreePort());
var sidecarDll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "LocalSidecar", "bin",
    new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "LocalSidecar.dll");
using var sidecar = Process.Start(new ProcessStartInfo("dotnet")
{
    ArgumentList = { Path.GetFullPath(sidecarDll), "--app-id", "bench", "--dapr-http-port", httpPort.ToString(),
        "--dapr-grpc-port", grpcPort.ToString(), "--resources-path", dir, "--backend", backend },
    RedirectStandardOutput = true,
    RedirectStandardError = true,
})!;
sidecar.OutputDataReceived += (_, _) => { };
sidecar.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("sidecar: " + e.Data); };
sidecar.BeginOutputReadLine();
sidecar.BeginErrorReadLine();
try
{
    using var client = new DaprClientBuilder()
        .UseHttpEndpoint($"http://127.0.0.1:{httpPort}").UseGrpcEndpoint($"http://127.0.0.1:{grpcPort}").Build();
    using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await client.WaitForSidecarAsync(ready.Token);
    await client.SaveStateAsync("statestore", "bench-key", new { slotId = "s1", capacity = 50, booked = 12, held = 3 });
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };

    var grpc = await Measure(n, async () => await client.GetStateAsync<object>("statestore", "bench-key"));
    var rest = await Measure(n, async () => (await http.GetAsync("v1.0/state/statestore/bench-key")).Dispose());

    Console.WriteLine($"# Local sidecar state GET, backend={backend}, n={n} sequential calls after 2,000 warm-up, {Environment.ProcessorCount} cores");
    Console.WriteLine();
    Console.WriteLine("| call | p50 ms | p90 ms | p99 ms | max ms | calls/s |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Print("DaprClient.GetStateAsync (gRPC)", grpc);
    Print("HTTP GET /v1.0/state/{store}/{key}", rest);
}
finally
{
    sidecar.Kill(entireProcessTree: true);
    await sidecar.WaitForExitAsync();
    Directory.Delete(dir, recursive: true);
}

static async Task<(LongHistogram Histogram, double Seconds)> Measure(int n, Func<Task> call)
{
    for (var i = 0; i < 2000; i++)
        await call();
    var histogram = new LongHistogram(TimeStamp.Seconds(10), 3);
    var total = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await call();
        histogram.RecordValue(Stopwatch.GetTimestamp() - start);
    }

    return (histogram, total.Elapsed.TotalSeconds);
}

static void Print(string name, (LongHistogram Histogram, double Seconds) result)
{
    double Ms(double percentile) => result.Histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine($"| {name} | {Ms(50):0.000} | {Ms(90):0.000} | {Ms(99):0.000} | {Ms(100):0.000} | {result.Histogram.TotalCount / result.Seconds:0} |");
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
