using System.Net;
using System.Net.Sockets;

namespace PurchasePredict.Api.Tests.Support;

public static class FreePort
{
    /// <summary>A port the OS just handed out on 127.0.0.1 (for programs that cannot report the port they bound).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
