namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Runs the app as one worker. SIGHUP is handled first, then the heartbeat starts, so a slow boot is neither killed
/// by a reload signal nor silent. The app's exit code is the worker's: a master reads any exit before "ready" as a
/// boot failure; a worker told to stop while it was still starting exits 0, as a stopped one does.
/// </summary>
internal static class WorkerRunner
{
    public static int Run(
        string[] args, HostSettings settings, MasterLink? link,
        Func<WorkerContext, int> runApp, Func<IServiceProvider, bool> isReady, Action<IServiceProvider>? reload)
    {
        using var hangup = new Hangup(underMaster: link is not null);
        if (link is not null)
            Console.SetOut(TextWriter.Synchronized(new AtomicLineWriter(Console.OpenStandardOutput())));
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = link is null
            ? Task.CompletedTask
            : Task.Run(() => WorkerHeartbeat.RunAsync(link, settings.HeartbeatInterval, stopHeartbeat.Token));
        var context = new WorkerContext(args, settings, link, isReady, hangup, reload);
        try
        {
            return runApp(context);
        }
        catch (OperationCanceledException) when (context.IsStopping)
        {
            // SIGTERM while the host was starting (Kestrel binding, say) cancels the start: a stop, not a crash.
            return ExitCodes.Ok;
        }
        finally
        {
            stopHeartbeat.Cancel();
            heartbeat.Wait();
        }
    }
}
