using System.Net;
using System.Net.Sockets;

namespace LocalSidecar.Hosting;

/// <summary>Asks the OS for an unused loopback port (for "0" in options, and for tests).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
