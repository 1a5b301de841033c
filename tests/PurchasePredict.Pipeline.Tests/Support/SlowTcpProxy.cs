using System.Net;
using System.Net.Sockets;

namespace PurchasePredict.Pipeline.Tests;

// A TCP proxy on 127.0.0.1 that holds every connection for a while before passing it on: put in front of
// the storage emulator, it makes a release slow to load its model, so slow to become ready.
public sealed class SlowTcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public SlowTcpProxy(int target, TimeSpan delay)
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ForwardAsync(client, target, delay);
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task ForwardAsync(TcpClient client, int target, TimeSpan delay)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await Task.Delay(delay, _stop.Token);
                await server.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
                var (up, down) = (client.GetStream(), server.GetStream());
                await Task.WhenAny(up.CopyToAsync(down, _stop.Token), down.CopyToAsync(up, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // Either side went away: so does the other.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
