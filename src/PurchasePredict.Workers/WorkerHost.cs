using PurchasePredict.Workers.Master;
using PurchasePredict.Workers.Worker;

namespace PurchasePredict.Workers;

/// <summary>
/// The gunicorn-style entry point:
/// <c>return WorkerHost.Run(args, worker => App.Run(worker.Args, worker.Configure), services => ...ready...);</c>
/// With WORKERS=1 the app runs in this process. Otherwise this process is the master: it listens, starts WORKERS
/// copies of this program with <c>--worker</c>, and supervises them (docs/workers.md: signals, variables, exit codes).
/// </summary>
public static class WorkerHost
{
    /// <param name="args">The program's arguments.</param>
    /// <param name="runApp">
    /// Builds and runs the app until it stops, returning its exit code; it must call
    /// <see cref="WorkerContext.Configure"/> on its builder, after its own configuration.
    /// </param>
    /// <param name="isReady">
    /// The app's own readiness (the API: its model is loaded), checked once it has started; default: started is ready.
    /// A worker is not "ready" for the master, and replaces no other, before this is true.
    /// </param>
    /// <param name="reload">
    /// The app's own reload, called on SIGHUP with WORKERS=1 (no master): it should only start the work (re-read the
    /// model, say) and return. Under a master, SIGHUP replaces the workers instead and this is not called.
    /// Without it, SIGHUP is ignored with WORKERS=1.
    /// </param>
    /// <returns>The process exit code: the app's, or the master's (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, Func<WorkerContext, int> runApp, Func<IServiceProvider, bool>? isReady = null,
        Action<IServiceProvider>? reload = null)
    {
        var isWorker = args.Contains(WorkerEnvironment.WorkerFlag);
        var appArgs = args.Where(arg => arg != WorkerEnvironment.WorkerFlag).ToArray();
        HostSettings settings;
        MasterLink? link;
        try
        {
            settings = HostSettings.FromEnvironment();
            link = isWorker ? MasterLink.FromEnvironment() : null;
        }
        catch (SettingsException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.InvalidSettings;
        }

        using (link)
        {
            if (isWorker || settings.Workers == 1)
                return WorkerRunner.Run(appArgs, settings, link, runApp, isReady ?? (_ => true), reload);
        }
        var log = new LifecycleLog(Console.OpenStandardOutput(), TimeProvider.System);
        return new Arbiter(settings, WorkerCommand.ForThisProcess(appArgs, settings.Workers), log).Run();
    }
}
