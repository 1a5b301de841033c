using Microsoft.Extensions.Hosting;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Once the app has started and its own readiness check passes (for the API: the model is loaded), opens the
/// worker's <see cref="AcceptGate"/> and, once its socket listens, tells the master "ready", so a reload drains the old worker only when
/// the new one can answer. Also drains the worker when the master is gone.
/// </summary>
internal sealed class ReadinessReporter(MasterLink link, AcceptGate gate, Drain drain, IHostApplicationLifetime lifetime, Func<bool> isReady)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var masterGone = link.MasterGone.Register(() => drain.Begin(lifetime));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var startedRegistration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            while (!isReady())
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(false);
            gate.Open();
            await gate.WhenListening.WaitAsync(stoppingToken).ConfigureAwait(false);
            link.Send(WorkerMessage.Ready);
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping (drained, or it failed to get ready).
        }
    }
}
