using Microsoft.Extensions.Hosting;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// A worker's graceful exit, in the order that fails no request: stop accepting (the slot's socket stays open
/// in the master, so waiting connections go to the next worker), answer every further request on an open
/// connection with `Connection: close` so clients move on, and only when the connections are gone (or after
/// a short grace) let Kestrel stop, which waits for in-flight requests up to GRACEFUL_TIMEOUT.
/// Stopping Kestrel directly would close connections accepted just before, whose request had not been read yet.
/// </summary>
internal sealed class Drain(TimeSpan idleGrace, Action stoppedAccepting)
{
    private readonly CancellationTokenSource _stopAccepting = new();
    private int _begun;
    private int _openConnections;

    public CancellationToken StopAccepting => _stopAccepting.Token;

    public bool IsDraining => Volatile.Read(ref _begun) == 1;

    public void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    public void Begin(IHostApplicationLifetime lifetime)
    {
        if (Interlocked.Exchange(ref _begun, 1) == 1)
            return;
        _stopAccepting.Cancel();
        stoppedAccepting();
        _ = StopWhenIdleAsync(lifetime);
    }

    private async Task StopWhenIdleAsync(IHostApplicationLifetime lifetime)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(10);
        while (Volatile.Read(ref _openConnections) > 0 && waited < idleGrace)
        {
            await Task.Delay(step).ConfigureAwait(false);
            waited += step;
        }
        lifetime.StopApplication();
    }
}
