using System.Net.Sockets;

namespace LocalSidecar.Hosting;

/// <summary>
/// The sidecar's connection to its own app (daprd's "app channel"): waits for the app port to open, and sends every
/// request with APP_API_TOKEN as dapr-api-token when one is configured.
/// </summary>
public sealed class AppChannel : IDisposable
{
    private readonly SidecarOptions _options;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    public AppChannel(SidecarOptions options)
    {
        _options = options;
        if (options.AppPort is { } port)
        {
            Http = new HttpClient(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                MaxConnectionsPerServer = 256,
            })
            {
                BaseAddress = new Uri($"http://{options.AppChannelAddress}:{port}/"),
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }
    }

    public bool HasApp => Http is not null;

    /// <summary>Null when the sidecar runs without an app.</summary>
    public HttpClient? Http { get; }

    /// <summary>Completes once the app port accepts connections (daprd blocks its app-facing work on the same).</summary>
    public Task WaitForAppAsync(CancellationToken cancellationToken)
    {
        if (!HasApp)
            return Task.Delay(Timeout.Infinite, cancellationToken);
        if (Interlocked.Exchange(ref _waiting, 1) == 0)
            _ = PollAsync();
        return _ready.Task.WaitAsync(cancellationToken);
    }

    private async Task PollAsync()
    {
        var deadline = DateTime.UtcNow + _options.AppStartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(_options.AppChannelAddress, _options.AppPort!.Value);
                _ready.TrySetResult();
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        _ready.TrySetException(new TimeoutException(
            $"app '{_options.AppId}' did not open port {_options.AppPort} within {_options.AppStartTimeout.TotalSeconds:0}s"));
    }

    /// <summary>A request to the app carrying the app token.</summary>
    public HttpRequestMessage CreateRequest(HttpMethod method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        if (!string.IsNullOrEmpty(_options.AppApiToken))
            request.Headers.TryAddWithoutValidation("dapr-api-token", _options.AppApiToken);
        return request;
    }

    public void Dispose() => Http?.Dispose();
}
