#nullable enable
using System.Linq;

// Reload on one VM: the running release reads its model source again, without a new image or a restart.
//   1. lock     the VM's lock (the rollout lock is RollingDelivery's)
//   2. prove    a candidate container of the running image, with the installed env file, resolves the source
//               the way the service will, loads the model and answers the check request; the bad-model guard
//               (ModelCheck) judges that answer; then the candidate goes. Nothing that serves was touched.
//               When the service already serves that model (same SHA-256), nothing more happens.
//   3. reload   systemctl reload: the master starts a new worker per slot, each takes over once it has loaded
//               the model; a new worker that fails to load it leaves its slot to the old one
//   4. verify   every slot's new worker took over, GET /model answers the proven model on every worker, a real
//               POST /predict answers and passes the guard (probe-reload.sh)
//   5. record   the model's identity with the release verified last (model.json in the VM's history)
// A failure at 2 leaves the VM as it was. At 4 the master has kept the old worker of every slot whose new one
// failed: the error says what GET /model answers now.
public sealed class HostReload(Vm vm, DeploySettings settings, ServiceCommands commands, DeployLocks locks, CommandRunner runner, Action<string> log)
{
    private int Port => vm.Host.ServicePort;

    private string Url => ServiceCommands.Url(Port);

    private ReadinessPoll Poll => new(vm, runner, log, settings.VerifyTimeoutSeconds);

    private ModelCheck Check => new(vm, commands, settings);

    public DeliveryOutcome Reload()
    {
        using var held = locks.Take(vm, ServiceLayout.LockDirectory);          // 1. lock
        var before = Served(Url, "the service");
        log($"{vm.Name}: serves {before}");
        var proven = Prove();                                                  // 2. prove
        if (proven.Sha256 == before.Sha256)
        {
            // A pinned source never names another model: only a Deploy of another MODEL_URI changes it.
            return new DeliveryOutcome(vm.Host.Name, before.ToString(),
                $"already serves {before}" + (before.IsPinned ? ", pinned (a Deploy of another MODEL_URI changes it)" : "") + ": left alone");
        }
        runner.Interruption.ThrowIfRequested($"stopped before the reload of {vm.Host.Name}");
        log($"{vm.Name}: reloading to {proven}");
        var generation = vm.Run(commands.SendReload()).StandardOutput.Trim();  // 3. reload
        try
        {
            // Not interruptible: the signal is sent, the master finishes the reload by itself.
            var answer = Poll.WaitUntilReady($"every worker of the service on port {Port}", commands.ProbeReload(generation, Port, proven.Sha256), interruptible: false);
            Check.Guard(answer, Url, "the service");                                        // 4. verify
        }
        catch (DeployException e)
        {
            var now = TryServed();
            throw new DeliveryFailedException($"{e.Message}. {vm.Host.Name} answers GET /model with {now}.",
                now == before.ToString() ? $"not changed: still serves {before}" : $"serves {now}, not the proven {proven}", e);
        }
        Record();                                                              // 5. record
        return new DeliveryOutcome(vm.Host.Name, proven.ToString(), $"serves {proven}, verified");
    }

    // 2. What the service would load now, proven beside it.
    private ServedModel Prove()
    {
        runner.Interruption.ThrowIfRequested($"stopped before proving the model on {vm.Host.Name}");
        var image = vm.Run(ServiceCommands.RunningImage(), quiet: true).StandardOutput.Trim();
        log($"{vm.Name}: proving what the model source names now, beside the running service ({image})");
        var port = vm.Run(commands.StartCandidateWith(ServiceLayout.EnvFile, image, settings.Network, settings.ContainerPort, settings.ContainerArguments))
            .StandardOutput.Trim();
        try
        {
            var answer = Poll.WaitUntilReady($"the candidate on port {port}", commands.Probe(ServiceLayout.CandidateContainer, image, ServiceCommands.Url(port),
                ServiceLayout.RequestFile), interruptible: true);
            Check.Guard(answer, ServiceCommands.Url(port), "the candidate");
            return Served(ServiceCommands.Url(port), "the candidate");
        }
        catch (HealthCheckFailedException)
        {
            var lines = vm.TryRun(ServiceCommands.ContainerLogs(ServiceLayout.CandidateContainer, 20), quiet: true);
            log($"{vm.Name}: the candidate's last lines:\n" + (lines.StandardOutput + lines.StandardError).TrimEnd());
            throw;
        }
        finally
        {
            var stopped = vm.TryRun(commands.StopContainer(ServiceLayout.CandidateContainer, 1), quiet: true);
            if (stopped.ExitCode != 0)
            {
                log($"WARNING: {vm.Name}: the candidate was not removed: {stopped.LastLine}");
            }
        }
    }

    // 5. The newest entry of the history is the release the service runs (Deploy and Rollback record it last).
    private void Record()
    {
        var newest = DeployHistory.Parse(vm.Run(commands.History(), quiet: true).StandardOutput).LastOrDefault();
        if (newest is null)
        {
            log($"WARNING: {vm.Name}: no release in {ServiceLayout.HistoryDirectory} to keep the model's identity with.");
            return;
        }
        vm.Run(commands.ModelIdentity(Url, ServiceLayout.HistoryDirectory + "/" + newest.Name), quiet: true);
    }

    private ServedModel Served(string url, string what) =>
        ServedModel.Parse(vm.Run(commands.ModelIdentity(url), quiet: true).StandardOutput, $"{vm.Name}: {what}");

    private string TryServed()
    {
        var result = vm.TryRun(commands.ModelIdentity(Url), quiet: true);
        return result.ExitCode == 0 ? ServedModel.Parse(result.StandardOutput, vm.Name).ToString() : $"nothing ({result.LastLine})";
    }
}
