namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Runs the app as one worker. The heartbeat starts first, so a slow boot is not a silent one. The app's
/// exit code is the worker's: a master reads any exit before "ready" as a boot failure.
/// </summary>
internal static class WorkerRunner
{
    public static int Run(
        string[] args, HostSettings settings, MasterLink? link,
        Func<WorkerContext, int> runApp, Func<IServiceProvider, bool> isReady)
    {
        if (link is not null)
            Console.SetOut(TextWriter.Synchronized(new AtomicLineWriter(Console.OpenStandardOutput())));
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = link is null
            ? Task.CompletedTask
            : Task.Run(() => WorkerHeartbeat.RunAsync(link, settings.HeartbeatInterval, stopHeartbeat.Token));
        try
        {
            return runApp(new WorkerContext(args, settings, link, isReady));
        }
        finally
        {
            stopHeartbeat.Cancel();
            heartbeat.Wait();
        }
    }
}
