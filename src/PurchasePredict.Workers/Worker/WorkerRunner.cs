using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Runs the app as one worker: heartbeat first (so a slow boot is not a silent one), then build and start;
/// anything that fails before the app listens is a boot failure (exit 3) with its reason on stderr.
/// </summary>
internal static class WorkerRunner
{
    public static int Run(string[] args, HostSettings settings, MasterLink? link, Func<WorkerContext, WebApplication> build)
    {
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = link is null
            ? Task.CompletedTask
            : Task.Run(() => WorkerHeartbeat.RunAsync(link, settings.HeartbeatInterval, stopHeartbeat.Token));

        var context = new WorkerContext(args, settings, link);
        WebApplication app;
        try
        {
            app = build(context);
            app.Start();
        }
        catch (Exception e)
        {
            // Any exception here means the app never served: report it the one way the master understands.
            Console.Error.WriteLine($"worker failed to boot: {e.Message}");
            return ExitCodes.BootFailed;
        }

        using (app)
        using (link?.MasterGone.Register(() => context.Drain.Begin(app.Lifetime)))
        {
            link?.Send(WorkerMessage.Ready);
            app.WaitForShutdown();
        }
        stopHeartbeat.Cancel();
        heartbeat.Wait();
        return ExitCodes.Ok;
    }
}
