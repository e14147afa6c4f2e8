using System.Net;
using System.Net.Sockets;

namespace LocalSidecar.Hosting;

/// <summary>
/// Finds an unused loopback port (for "0" in options, and for tests that must tell an app its sidecar's ports before
/// either starts). Ports come from below the kernel's ephemeral range (32768+ on Linux): a port the OS handed out for
/// "listen on 0" and that was then released is soon reused for some outgoing connection's local port, so a test that
/// binds it a moment later can lose the race. Random picks also keep parallel test processes apart.
/// </summary>
public static class FreePort
{
    private const int Low = 20_000;
    private const int High = 32_000;
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(Low, High);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port))
                    continue;
            }

            if (!IsFree(port))
                continue;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                    return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Low} and {High}");
    }

    /// <summary>Free on both loopback addresses, since "localhost" binds both.</summary>
    private static bool IsFree(int port)
    {
        try
        {
            using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            v4.Bind(new IPEndPoint(IPAddress.Loopback, port));
            if (Socket.OSSupportsIPv6)
            {
                using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                v6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
