using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Kestrel's socket transport, with an accept loop that waits for the <see cref="AcceptGate"/> to open and that
/// <see cref="Drain"/> can end without stopping Kestrel: the listener then reports "no more connections"
/// while the open ones keep being served.
/// </summary>
internal sealed class WorkerListenerFactory(IOptions<SocketTransportOptions> options, ILoggerFactory loggers, AcceptGate gate, Drain drain)
    : IConnectionListenerFactory
{
    private readonly SocketTransportFactory _sockets = new(options, loggers);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new WorkerListener(await _sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), gate, drain);

    private sealed class WorkerListener(IConnectionListener inner, AcceptGate gate, Drain drain) : IConnectionListener
    {
        // Kestrel ends its accept loop by unbinding: that must also end a wait for the gate.
        private readonly CancellationTokenSource _unbound = new();

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.StopAccepting, _unbound.Token);
            ConnectionContext? connection;
            try
            {
                await gate.WhenOpen.WaitAsync(stop.Token).ConfigureAwait(false);
                connection = await inner.AcceptAsync(stop.Token).ConfigureAwait(false);
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
            await inner.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _unbound.CancelAsync().ConfigureAwait(false);
            await inner.DisposeAsync().ConfigureAwait(false);
            _unbound.Dispose();
        }
    }
}
