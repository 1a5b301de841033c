namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Tells the master the worker is alive. Deliberately runs on the thread pool, the same threads that serve
/// requests (the timer only queues work there), not on a thread of its own: a worker whose pool is stuck
/// goes silent and is killed after WORKER_TIMEOUT, as gunicorn's heartbeat does.
/// </summary>
internal static class WorkerHeartbeat
{
    public static async Task RunAsync(MasterLink link, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        link.Send(WorkerMessage.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                link.Send(WorkerMessage.Heartbeat);
        }
        catch (OperationCanceledException)
        {
            // The worker is exiting.
        }
    }
}
