#nullable enable
using System.Linq;

// Deploy, Rollback, Reload and Status over every VM of an environment. Deploy, Rollback and Reload:
//   1. every VM is checked for an ssh login with working sudo, so an unreachable VM fails before any VM changes;
//   2. the rollout lock on the first VM is taken for the whole rollout: one Deploy, Rollback or Reload at a time;
//   3. one VM after the other (HostDelivery; HostReload), stopping at the first failure or interrupt, so a bad
//      release or model reaches at most one VM;
//   4. once every VM runs the same verified release, the environment's tag is moved to it (pointTag), still
//      under the lock, so the tag always names what the environment runs.
// Whatever happens, the end says what state each VM is in.
public sealed class RollingDelivery
{
    private readonly IReadOnlyList<Vm> _vms;
    private readonly DeploySettings _settings;
    private readonly BuildPaths _paths;
    private readonly ServiceCommands _commands;
    private readonly CommandRunner _runner;
    private readonly Action<string> _log;
    private readonly Action<string> _pointTag;

    public RollingDelivery(DeploySettings settings, SshConnections ssh, BuildPaths paths, CommandRunner runner, Action<string> log, Action<string> pointTag)
    {
        // The secrets file's values never show, whatever a VM prints back.
        runner.Redact(settings.Secrets.Values);
        if (settings.SshKey is { } key)
        {
            // The sandbox's key exists once SandboxVms has run: checked here, not with the other settings.
            runner.RequirePath(key, () => new DeployException($"The ssh key {key} (deploy.sshKey) does not exist."));
        }
        _vms = settings.Hosts.Select(host => new Vm(host, ssh.Share(settings.TargetFor(host)), runner)).ToList();
        (_settings, _paths, _commands, _runner, _log, _pointTag) = (settings, paths, new ServiceCommands(paths), runner, log, pointTag);
    }

    public void Deploy(PushedImage image)
    {
        var unit = System.IO.File.ReadAllText(_paths.UnitTemplate);
        Roll("Deploy", vm => new NewRelease(image.Reference, image.Commit,
            UnitFile.Render(unit, _settings, vm.Host, image), _settings.EnvFiles[vm.Host.Name], _settings.PredictRequestFile));
    }

    // On each VM, the release verified before the current one (or the newest of --rollback-version).
    // A rollback is itself recorded, so two rollbacks toggle between two releases.
    public void Rollback() => Roll("Rollback", vm =>
    {
        var entries = DeployHistory.Parse(vm.Run(_commands.History(_settings.RollbackVersion), quiet: true).StandardOutput);
        return new EarlierRelease(DeployHistory.RollbackTarget(entries, _settings.RollbackVersion)
            ?? throw new DeployException(_settings.RollbackVersion is { } version
                ? $"{vm.Name}: no release of commit {version} in {ServiceLayout.HistoryDirectory}."
                : $"{vm.Name}: no earlier release in {ServiceLayout.HistoryDirectory} to go back to."));
    });

    // Every VM is asked, one down must not hide the others' state; then any VM that is unreachable,
    // inactive or unhealthy (its own readiness, a real /predict) fails the run, naming each.
    public void Status()
    {
        var problems = new List<string>();
        foreach (var vm in _vms)
        {
            try
            {
                var result = vm.TryRun(_commands.Status(vm.Host.ServicePort, 20), quiet: true);
                _log($"== {vm.Name}\n" + result.StandardOutput.TrimEnd());
                var predict = result.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("predict: ", StringComparison.Ordinal))?["predict: ".Length..].Trim() ?? "";
                if (result.ExitCode != 0 || !HostDelivery.IsPrediction(predict))
                {
                    problems.Add($"{vm.Host.Name} is not healthy (exit {result.ExitCode}, /predict answered '{predict}')");
                }
            }
            catch (DeployException e)
            {
                _log($"== {vm.Name}\n{e.Message}");
                problems.Add(e.Message);
            }
        }
        if (problems.Count > 0)
        {
            throw new DeployException("Status: " + string.Join("; ", problems) + ".");
        }
    }

    // Reload: every VM's service reads its model source again (HostReload), one VM after the other, under
    // the same locks as Deploy; the first VM that fails stops the rollout and keeps serving its model.
    // The image does not change, so the environment's tag stays.
    public void Reload()
    {
        if (_runner.DryRun)
        {
            foreach (var vm in _vms)
            {
                _log($"{vm.Name}: would serve {ModelSourcePreview.Describe(_settings.EnvFor(vm.Host), _settings.Secrets, _settings.Sandbox)}");
            }
        }
        Roll("Reload", (vm, locks) => new HostReload(vm, _settings, _commands, locks, _runner, _log).Reload(), pointTag: false);
    }

    private void Roll(string what, Func<Vm, Release> releaseFor) =>
        Roll(what, (vm, locks) => new HostDelivery(vm, _settings, _commands, locks, _paths, _runner, _log).Deliver(releaseFor(vm)), pointTag: true);

    private void Roll(string what, Func<Vm, DeployLocks, DeliveryOutcome> deliver, bool pointTag)
    {
        _runner.Interruption.ThrowIfRequested($"{what} did not start");
        foreach (var vm in _vms)
        {
            try
            {
                vm.Run(ServiceCommands.Reachable(), quiet: true);
            }
            catch (DeployException e)
            {
                throw new DeployException($"{what}: {e.Message}. No VM was changed.", e);
            }
        }
        var locks = new DeployLocks(_settings, _commands, _runner, _log, what);
        IDisposable rollout;
        try
        {
            rollout = locks.Take(_vms[0], ServiceLayout.RolloutLockDirectory);
        }
        catch (DeployException e)
        {
            throw new DeployException($"{what}: {e.Message} No VM was changed.", e);
        }
        using (rollout)
        {
            var outcomes = new List<DeliveryOutcome>();
            foreach (var (vm, i) in _vms.Select((vm, i) => (vm, i)))
            {
                try
                {
                    _runner.Interruption.ThrowIfRequested($"{what} stopped before {vm.Host.Name}");
                    _log($"== {what} {vm.Name} ({i + 1}/{_vms.Count})");
                    outcomes.Add(deliver(vm, locks));
                }
                catch (Exception e) when (e is DeployException or PipelineInterruptedException)
                {
                    var state = e is DeliveryFailedException failed ? failed.State : "not changed";
                    throw new DeployException($"{what} stopped at {vm.Host.Name}: {e.Message}\n{States(outcomes, (vm.Host.Name, state))}", e);
                }
            }
            _log(States(outcomes, null));
            if (pointTag)
            {
                PointTag(what, outcomes);
            }
        }
    }

    // The environment's tag follows only a rollout that left every VM on one release.
    private void PointTag(string what, IReadOnlyList<DeliveryOutcome> outcomes)
    {
        var images = outcomes.Select(o => o.Image).Distinct().ToList();
        if (images.Count != 1)
        {
            _log($"The VMs run different releases ({string.Join(", ", images)}): the environment's tag stays where it was.");
            return;
        }
        // A rollout that changed no VM changes no tag: it was moved when that release was verified (a
        // no-change Deploy then takes a few seconds per VM, not a registry login on top).
        if (outcomes.All(o => o.LeftAlone))
        {
            _log($"Every VM already ran {images[0]}: the environment's tag, moved when that release was verified, stays.");
            return;
        }
        try
        {
            _pointTag(images[0]);
        }
        catch (Exception e) when (e is DeployException or CommandFailedException or PipelineInterruptedException)
        {
            throw new DeployException($"{what}: every VM runs {images[0]}, verified, but the environment's tag was not moved to it: {e.Message}", e);
        }
    }

    // One line per VM: what the rollout left there.
    private string States(IReadOnlyList<DeliveryOutcome> done, (string Vm, string State)? failed)
    {
        var lines = _vms.Select(vm =>
            done.FirstOrDefault(o => o.Vm == vm.Host.Name)?.State
            ?? (failed is { } f && f.Vm == vm.Host.Name ? f.State : "not touched"));
        return "State of each VM:\n" + string.Join("\n", _vms.Zip(lines, (vm, state) => $"  {vm.Host.Name}: {state}"));
    }
}
