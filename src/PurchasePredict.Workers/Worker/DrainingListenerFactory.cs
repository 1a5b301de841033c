using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Kestrel's socket transport, with an accept loop that <see cref="Drain"/> can end without stopping Kestrel:
/// the listener then reports "no more connections" while the open ones keep being served.
/// </summary>
internal sealed class DrainingListenerFactory(IOptions<SocketTransportOptions> options, ILoggerFactory loggers, Drain drain)
    : IConnectionListenerFactory
{
    private readonly SocketTransportFactory _sockets = new(options, loggers);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new DrainingListener(await _sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), drain);

    private sealed class DrainingListener(IConnectionListener inner, Drain drain) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            if (drain.StopAccepting.IsCancellationRequested)
                return null;
            using var acceptOrDrain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.StopAccepting);
            ConnectionContext? connection;
            try
            {
                connection = await inner.AcceptAsync(acceptOrDrain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (drain.StopAccepting.IsCancellationRequested)
            {
                // Nothing was accepted: the connection waits in the socket's queue for the slot's next worker.
                return null;
            }
            if (connection is not null)
            {
                drain.ConnectionOpened();
                connection.ConnectionClosed.Register(drain.ConnectionClosed);
            }
            return connection;
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
