using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>
/// A deliberately strict HTTP/1.1 client over one TCP connection: unlike HttpClient it never retries a
/// request whose connection was closed under it, so every such close counts as the failure a client like
/// wrk or curl would see.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    public sealed record Response(int Status, string Body, bool ServerCloses);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttpConnection> OpenAsync(int port, CancellationToken cancel)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, cancel);
            return new RawHttpConnection(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public Task<Response> GetAsync(string path, bool close, CancellationToken cancel) =>
        SendAsync(new HttpRequestSpec("GET", path), close, cancel);

    public async Task<Response> SendAsync(HttpRequestSpec request, bool close, CancellationToken cancel)
    {
        var head = $"{request.Method} {request.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
            (close ? "Connection: close\r\n" : "") +
            (request.Body is null ? "" : $"Content-Type: {request.ContentType}\r\nContent-Length: {request.Body.Length}\r\n") +
            "\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancel);
        if (request.Body is not null)
            await _stream.WriteAsync(request.Body, cancel);
        return await ReadResponseAsync(cancel);
    }

    private async Task<Response> ReadResponseAsync(CancellationToken cancel)
    {

        var head = await ReadHeadAsync(cancel);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = headers.TryGetValue("content-length", out var length)
            ? await ReadExactlyAsync(int.Parse(length), cancel)
            : headers.GetValueOrDefault("transfer-encoding") == "chunked"
                ? await ReadChunkedAsync(cancel)
                : throw new InvalidDataException($"response without length: {head}");
        return new Response(status, Encoding.UTF8.GetString(body), headers.GetValueOrDefault("connection") == "close");
    }

    private async Task<string> ReadHeadAsync(CancellationToken cancel)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 4;
                return head;
            }
            await FillAsync(cancel);
        }
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancel)
    {
        var body = new List<byte>();
        while (true)
        {
            var size = Convert.ToInt32(Encoding.ASCII.GetString(await ReadLineAsync(cancel)).Split(';')[0], 16);
            body.AddRange(await ReadExactlyAsync(size, cancel));
            await ReadLineAsync(cancel);
            if (size == 0)
                return [.. body];
        }
    }

    private async Task<byte[]> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = _buffer[_start..(_start + end)];
                _start += end + 2;
                return line;
            }
            await FillAsync(cancel);
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancel)
    {
        while (_end - _start < count)
            await FillAsync(cancel);
        var bytes = _buffer[_start..(_start + count)];
        _start += count;
        return bytes;
    }

    private async Task FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            throw new InvalidDataException("response head larger than the buffer");
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancel);
        if (read == 0)
            throw new IOException("connection closed by the server before a complete response");
        _end += read;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
