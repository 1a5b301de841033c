using System.Net.Sockets;
using System.Text;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests HttpClient gives up on: a server may answer 413 and
/// close before the client has sent the whole body, which HttpClient reports as a send failure.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, string Headers, string Body);

    public static async Task<Response> SendAsync(Uri server, string method, string path, IEnumerable<string> headers, byte[] body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(body);
        }
        catch (IOException)
        {
            // The server answered early and closed; its answer is still readable below.
        }
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received);
        }
        catch (IOException)
        {
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.That(split, Is.GreaterThan(0), $"no HTTP answer: '{text}'");
        var status = int.Parse(text.AsSpan(9, 3));
        return new Response(status, text[..split], text[(split + 4)..]);
    }

    /// <summary>The body in HTTP/1.1 chunked transfer coding, in chunks of <paramref name="size"/> bytes.</summary>
    public static byte[] Chunked(byte[] body, int size)
    {
        var output = new MemoryStream();
        for (var offset = 0; offset < body.Length; offset += size)
        {
            var length = Math.Min(size, body.Length - offset);
            output.Write(Encoding.ASCII.GetBytes($"{length:x}\r\n"));
            output.Write(body, offset, length);
            output.Write("\r\n"u8);
        }
        output.Write("0\r\n\r\n"u8);
        return output.ToArray();
    }
}
