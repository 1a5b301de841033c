using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PurchasePredict.Pipeline.Tests;

// Which sockets listen on a TCP port, sampled every few milliseconds for the whole of a redeploy, so that a client
// that sees its connection refused can be told what the kernel had on the port then (the sandbox VMs share this
// machine's network namespace). Asked through sock_diag netlink, listeners only: reading /proc/net/tcp would walk
// every TIME_WAIT socket the new-connection client leaves, many times a second, on the cores the test measures.
internal sealed partial class PortListeners : IAsyncDisposable
{
    public sealed record Sample(TimeSpan At, IReadOnlyList<uint> Inodes);

    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int NetlinkSockDiag = 4;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmFRequestDump = 0x1 | 0x300;
    private const ushort NlmsgDone = 3;
    private const ushort NlmsgError = 2;
    private const byte TcpListen = 10;

    private readonly int _port;
    private readonly Func<TimeSpan> _clock;
    private readonly List<Sample> _changes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public PortListeners(int port, Func<TimeSpan> clock)
    {
        _port = port;
        _clock = clock;
        _sampling = Task.Run(SampleAsync);
    }

    // Every change of the port's listeners (their socket inodes), on the given clock.
    public IReadOnlyList<Sample> Changes
    {
        get
        {
            lock (_changes)
                return [.. _changes];
        }
    }

    // The changes from a little before `from` to `until`, one line each, for a failure message.
    public string Around(TimeSpan from, TimeSpan until)
    {
        var changes = Changes;
        var before = changes.LastOrDefault(c => c.At <= from);
        var lines = changes.Where(c => c.At > from && c.At <= until).Prepend(before).OfType<Sample>()
            .Select(c => $"{c.At.TotalMilliseconds:F0} ms: {c.Inodes.Count} listening on :{_port}" + (c.Inodes.Count > 0 ? $" (inodes {string.Join(' ', c.Inodes)})" : ""));
        return string.Join('\n', lines);
    }

    private async Task SampleAsync()
    {
        // .NET's Socket knows no netlink family: libc's calls, on a socket of our own.
        var diag = socket(AfNetlink, SockRaw, NetlinkSockDiag);
        if (diag < 0)
            throw new InvalidOperationException($"socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG): errno {Marshal.GetLastPInvokeError()}");
        try
        {
            await SampleWith(diag);
        }
        finally
        {
            _ = close(diag);
        }
    }

    private async Task SampleWith(int diag)
    {
        var request = Request();
        var answer = new byte[64 * 1024];
        IReadOnlyList<uint>? last = null;
        while (!_stop.IsCancellationRequested)
        {
            var inodes = Listeners(diag, request, answer);
            if (last is null || !inodes.SequenceEqual(last))
            {
                lock (_changes)
                    _changes.Add(new Sample(_clock(), inodes));
                last = inodes;
            }
            try
            {
                await Task.Delay(5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // nlmsghdr, then inet_diag_req_v2 for IPv4 TCP sockets in LISTEN (linux/inet_diag.h).
    private static byte[] Request()
    {
        var request = new byte[16 + 56];
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), NlmFRequestDump);
        request[16] = (byte)AddressFamily.InterNetwork;
        request[17] = (byte)ProtocolType.Tcp;
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(20), 1u << TcpListen);
        return request;
    }

    private List<uint> Listeners(int diag, byte[] request, byte[] answer)
    {
        if (send(diag, request, request.Length, 0) != request.Length)
            throw new InvalidOperationException($"sock_diag request: errno {Marshal.GetLastPInvokeError()}");
        var inodes = new List<uint>();
        while (true)
        {
            var length = (int)recv(diag, answer, answer.Length, 0);
            if (length <= 0)
                throw new InvalidOperationException($"sock_diag answer: errno {Marshal.GetLastPInvokeError()}");
            for (var offset = 0; offset + 16 <= length;)
            {
                var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(offset));
                var type = BinaryPrimitives.ReadUInt16LittleEndian(answer.AsSpan(offset + 4));
                if (type == NlmsgDone || type == NlmsgError || size < 16)
                {
                    inodes.Sort();
                    return inodes;
                }
                // inet_diag_msg: family, state, timer, retrans, then the socket id (source port first, big-endian);
                // the inode is its last field, at 68.
                var message = answer.AsSpan(offset + 16);
                if (message[1] == TcpListen && BinaryPrimitives.ReadUInt16BigEndian(message[4..]) == _port)
                    inodes.Add(BinaryPrimitives.ReadUInt32LittleEndian(message[68..]));
                offset += (size + 3) & ~3;
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
