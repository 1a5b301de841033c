using Microsoft.AspNetCore.Builder;
using PurchasePredict.Workers.Master;
using PurchasePredict.Workers.Worker;

namespace PurchasePredict.Workers;

/// <summary>
/// The gunicorn-style entry point. <c>return WorkerHost.Run(args, worker => BuildApp(worker.Args, worker.Configure));</c>
/// With WORKERS=1 the app runs in this process. Otherwise this process is the master: it listens, starts WORKERS
/// copies of this program with <c>--worker</c>, and supervises them (see docs/workers.md for signals and variables).
/// </summary>
public static class WorkerHost
{
    /// <param name="args">The program's arguments.</param>
    /// <param name="build">Builds the app (not started); must call <see cref="WorkerContext.Configure"/> on its builder.</param>
    /// <returns>The process exit code, see <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, Func<WorkerContext, WebApplication> build)
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
                return WorkerRunner.Run(appArgs, settings, link, build);
        }
        var log = new LifecycleLog(Console.Out, TimeProvider.System);
        return new Arbiter(settings, WorkerCommand.ForThisProcess(appArgs), log).Run();
    }
}
