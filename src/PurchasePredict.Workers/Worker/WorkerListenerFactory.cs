using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Kestrel's socket transport, with an accept loop that waits for the <see cref="AcceptGate"/> to open and that
/// <see cref="Drain"/> can end without stopping Kestrel: the listener then reports "no more connections"
/// while the open ones keep being served. Kestrel's bind calls listen(2) on the socket; a worker whose gate is
/// still closed (under a master, until it is ready) binds only once it opens: the master takes the socket of a slot
/// that lost its worker out of the port's group, and the slot's next worker listening is what puts it back.
/// </summary>
internal sealed class WorkerListenerFactory(IOptions<SocketTransportOptions> options, ILoggerFactory loggers, AcceptGate gate, Drain drain)
    : IConnectionListenerFactory
{
    private readonly SocketTransportFactory _sockets = new(options, loggers);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new WorkerListener(endpoint, _sockets, gate, drain);
        // Alone, the worker listens at once: a port that is taken must fail the start (exit code 3).
        if (gate.WhenOpen.IsCompleted)
            await listener.BindAsync(cancellationToken).ConfigureAwait(false);
        return listener;
    }

    private sealed class WorkerListener(EndPoint endpoint, SocketTransportFactory sockets, AcceptGate gate, Drain drain) : IConnectionListener
    {
        // Kestrel ends its accept loop by unbinding: that must also end a wait for the gate.
        private readonly CancellationTokenSource _unbound = new();
        private IConnectionListener? _inner;

        public EndPoint EndPoint => _inner?.EndPoint ?? endpoint;

        public async Task BindAsync(CancellationToken cancellationToken) =>
            _inner ??= await sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false);

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.StopAccepting, _unbound.Token);
            ConnectionContext? connection;
            try
            {
                await gate.WhenOpen.WaitAsync(stop.Token).ConfigureAwait(false);
                await BindAsync(stop.Token).ConfigureAwait(false);
                connection = await _inner!.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (drain.StopAccepting.IsCancellationRequested || _unbound.IsCancellationRequested)
            {
                // Nothing was accepted: a waiting connection stays in the socket's queue for the slot's next worker.
                return null;
            }
            if (connection is not null)
            {
                drain.ConnectionOpened();
                connection.ConnectionClosed.Register(drain.ConnectionClosed);
            }
            return connection;
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await _unbound.CancelAsync().ConfigureAwait(false);
            if (_inner is not null)
                await _inner.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _unbound.CancelAsync().ConfigureAwait(false);
            if (_inner is not null)
                await _inner.DisposeAsync().ConfigureAwait(false);
            _unbound.Dispose();
        }
    }
}
