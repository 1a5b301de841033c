using System.Net;
using System.Net.Sockets;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// One listening socket per worker slot, all on the same port with SO_REUSEPORT so the kernel spreads
/// connections across them. The master owns them for its whole life and each worker inherits its slot's
/// socket: when a worker exits (recycle, reload, crash) its socket stays open, so connections waiting in
/// its accept queue are served by the slot's next worker instead of being reset. See docs/workers.md.
/// </summary>
internal sealed class ListenSockets : IDisposable
{
    private const int SolSocket = 1;   // SOL_SOCKET on Linux
    private const int SoReusePort = 15; // SO_REUSEPORT on Linux
    private const int Backlog = 512;    // Kestrel's default

    private readonly Socket[] _sockets;

    private ListenSockets(Socket[] sockets) => _sockets = sockets;

    public Socket this[int slot] => _sockets[slot];

    public static ListenSockets Bind(int count, int port)
    {
        var sockets = new List<Socket>(count);
        try
        {
            for (var slot = 0; slot < count; slot++)
                sockets.Add(BindOne(port));
            return new ListenSockets([.. sockets]);
        }
        catch
        {
            sockets.ForEach(socket => socket.Dispose());
            throw;
        }
    }

    private static Socket BindOne(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For a full stop, once no worker accepts any more: shutdown(2) ends listening for every process sharing the
    /// sockets, so new connections are refused at once instead of waiting in a queue nobody will serve.
    /// </summary>
    public void StopListening()
    {
        for (var slot = 0; slot < _sockets.Length; slot++)
            StopListening(slot);
    }

    /// <summary>
    /// One slot's socket leaves the port's SO_REUSEPORT group while no worker of the slot can serve (its worker died,
    /// its next one is booting or failing to boot): the kernel then sends new connections to the other slots. The
    /// connections already in its queue are reset (nobody would serve them). The slot's next worker calls listen(2)
    /// on its inherited copy of the socket once it is ready, which puts the socket back in the group.
    /// </summary>
    public void StopListening(int slot)
    {
        try
        {
            _sockets[slot].Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not listening any more: nothing to stop.
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
            socket.Dispose();
    }
}
