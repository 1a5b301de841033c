#nullable enable
using System.Linq;

// Deploy, Rollback and Status over every VM of an environment. Deploy and Rollback go one VM after the
// other and stop at the first failure, so a bad release reaches at most one VM; first, every VM is
// checked for an ssh login with working sudo, so an unreachable VM fails before any VM is changed.
// What happens on each VM is HostDelivery.
public sealed class RollingDelivery
{
    private readonly IReadOnlyList<Vm> _vms;
    private readonly DeploySettings _settings;
    private readonly BuildPaths _paths;
    private readonly ServiceCommands _commands;
    private readonly CommandRunner _runner;
    private readonly Action<string> _log;

    public RollingDelivery(DeploySettings settings, BuildPaths paths, CommandRunner runner, Action<string> log)
    {
        // The secrets file's values never show, whatever a VM prints back.
        runner.Redact(settings.Secrets.Values);
        if (settings.SshKey is { } key)
        {
            // The sandbox's key exists once SandboxVms has run: checked here, not with the other settings.
            runner.RequirePath(key, () => new DeployException($"The ssh key {key} (deploy.sshKey) does not exist."));
        }
        _vms = settings.Hosts.Select(host => new Vm(host, settings.TargetFor(host), runner)).ToList();
        (_settings, _paths, _commands, _runner, _log) = (settings, paths, new ServiceCommands(paths), runner, log);
    }

    public void Deploy(PushedImage image)
    {
        var unit = System.IO.File.ReadAllText(_paths.UnitTemplate);
        Roll("Deploy", vm => new NewRelease(image.Reference, image.Commit,
            UnitFile.Render(unit, _settings, vm.Host, image), _settings.EnvFiles[vm.Host.Name], _settings.PredictRequestFile));
    }

    // On each VM, the newest history entry whose image differs from the running one (or the newest of
    // --rollback-version). A rollback is itself recorded, so two rollbacks toggle between two releases.
    public void Rollback() => Roll("Rollback", vm =>
    {
        var entries = DeployHistory.Parse(vm.Run(_commands.History(_settings.RollbackVersion), quiet: true).StandardOutput);
        return new EarlierRelease(DeployHistory.RollbackTarget(entries, _settings.RollbackVersion)
            ?? throw new DeployException(_settings.RollbackVersion is { } version
                ? $"{vm.Name}: no release of commit {version} in {ServiceLayout.HistoryDirectory}."
                : $"{vm.Name}: no earlier release in {ServiceLayout.HistoryDirectory} to go back to."));
    });

    // One VM down must not hide the others' state.
    public void Status()
    {
        foreach (var vm in _vms)
        {
            try
            {
                _log($"== {vm.Name}\n" + vm.Run(_commands.Status(vm.Host.ServicePort, 20), quiet: true).StandardOutput.TrimEnd());
            }
            catch (DeployException e)
            {
                _log($"== {vm.Name}\n{e.Message}");
            }
        }
    }

    private void Roll(string what, Func<Vm, Release> releaseFor)
    {
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
        for (var i = 0; i < _vms.Count; i++)
        {
            var vm = _vms[i];
            _log($"== {what} {vm.Name} ({i + 1}/{_vms.Count})");
            try
            {
                new HostDelivery(vm, _settings, _commands, _paths, _runner, _log).Deliver(releaseFor(vm));
            }
            catch (DeployException e)
            {
                var done = _vms.Take(i).Select(v => v.Host.Name).ToList();
                var untouched = _vms.Skip(i + 1).Select(v => v.Host.Name).ToList();
                throw new DeployException(
                    $"{what} stopped at {vm.Host.Name}: {e.Message}" +
                    (done.Count > 0 ? $" Already updated: {string.Join(", ", done)}." : "") +
                    (untouched.Count > 0 ? $" Not touched: {string.Join(", ", untouched)}." : ""), e);
            }
        }
    }
}
