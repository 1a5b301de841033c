using System.Net;
using System.Net.Sockets;

// Compiled into each test project that starts servers (no namespace, so every project sees it as its own).
internal static class FreePort
{
    /// <summary>A port the kernel just handed out on 127.0.0.1 and that is free again.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
