using System.Net.Sockets;
using System.Text;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>HTTP/1.1 over a bare socket: the request target goes out exactly as written (HttpClient would resolve "..").</summary>
internal static class RawHttp
{
    public sealed record Response(int Status, byte[] Body);

    public static async Task<Response> SendAsync(Uri server, string method, string target, byte[] body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\nContent-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body);
        var received = new MemoryStream();
        await stream.CopyToAsync(received);
        var bytes = received.ToArray();
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        return new Response(int.Parse(Encoding.ASCII.GetString(bytes, 9, 3)), bytes[(split + 4)..]);
    }
}
