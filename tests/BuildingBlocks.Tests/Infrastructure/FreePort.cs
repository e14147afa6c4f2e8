using System.Net;
using System.Net.Sockets;

namespace BuildingBlocks.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A loopback port nothing listens on right now (bound, read, released).</summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
