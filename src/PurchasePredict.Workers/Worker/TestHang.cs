namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Test-only (PURCHASE_PREDICT_TEST_HANG_AFTER_REQUESTS): makes the worker stop answering the way a real
/// stuck worker does, by starving its thread pool, so requests and the heartbeat both stall and the
/// master's timeout is what has to catch it.
/// </summary>
internal sealed class TestHang
{
    private int _engaged;

    /// <summary>Starves the pool once; the returned task never completes (the request hangs).</summary>
    public Task Engage()
    {
        if (Interlocked.Exchange(ref _engaged, 1) == 0)
        {
            Console.Error.WriteLine(
                $"test hang engaged in worker {Environment.ProcessId} ({HostSettings.TestHangVariable}): starving the thread pool");
            ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
            if (!ThreadPool.SetMaxThreads(workerThreads, ioThreads))
                throw new InvalidOperationException("could not cap the thread pool for the test hang");
            for (var i = 0; i < workerThreads; i++)
                ThreadPool.UnsafeQueueUserWorkItem(static _ => Thread.Sleep(Timeout.Infinite), null);
        }
        return new TaskCompletionSource().Task;
    }
}
