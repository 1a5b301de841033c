#nullable enable
using System.Collections.Generic;
using System.IO;
using System.Linq;

// The Deploy, Rollback and Status actions over every VM of an environment. Cake tasks call these;
// all inputs are checked by Prepare before the first VM is contacted.
public sealed class Delivery
{
    private readonly DeploySettings _settings;
    private readonly IReadOnlyList<RemoteHost> _hosts;
    private readonly Action<string> _log;
    private readonly IReadOnlyDictionary<string, Secret> _secrets;
    private readonly string _root;

    private readonly bool _dryRun;

    private Delivery(DeploySettings settings, IReadOnlyDictionary<string, Secret> secrets, string root, bool dryRun, Action<string> log)
    {
        _settings = settings;
        _secrets = secrets;
        _root = root;
        _dryRun = dryRun;
        _log = log;
        var runner = new CommandRunner(log, Redact);
        _hosts = settings.Hosts.Select(h => new RemoteHost(h, settings.TargetFor(h), runner, Redact, log)).ToList();
    }

    public string UnitTemplatePath => System.IO.Path.Combine(_root, "ops", "purchase_predict_api.service");

    public string EnvTemplatePath => System.IO.Path.Combine(_root, "ops", "purchase_predict_api.env");

    // DeploySettings.From has checked the env file renders; the sandbox's key exists only once SandboxVms ran.
    public static Delivery Prepare(DeploySettings settings, string root, bool dryRun, Action<string> log)
    {
        if (!dryRun && settings.SshKey is { } key && !System.IO.File.Exists(key))
        {
            throw new DeployException($"The ssh key {key} (deploy.sshKey) does not exist.");
        }
        return new Delivery(settings, SecretsFile.Read(settings.SecretsFilePath), root, dryRun, log);
    }

    public IReadOnlyList<RemoteHost> Hosts => _hosts;

    public string Redact(string text) => SecretsFile.Redact(text, _secrets.Values);

    public void Deploy(DeployImage image, string bundleDirectory)
    {
        var unitTemplate = System.IO.File.ReadAllText(UnitTemplatePath);
        var envTemplate = System.IO.File.ReadAllText(EnvTemplatePath);
        if (_dryRun)
        {
            // The flow reads what the VMs answer, so a dry run shows what would be sent instead of running it.
            foreach (var host in _settings.Hosts)
            {
                _log($"Would deploy {image.Reference} (commit {image.Commit}) to {host.Name} ({_settings.TargetFor(host)}), one VM at a time, with this unit:\n"
                    + UnitFile.Render(unitTemplate, _settings, host, image));
            }
            return;
        }
        new RollingDeployment(_hosts, _log).Run("Deploy", remote =>
        {
            var host = remote.Host;
            using var bundle = LocalBundle.Write(
                System.IO.Path.Combine(bundleDirectory, host.Name),
                UnitFile.Render(unitTemplate, _settings, host, image),
                EnvFile.Render(envTemplate, _settings.EnvFor(host), _secrets),
                image,
                _settings.PredictRequestFile);
            new HostDeployment(remote, _settings, _log).Run(() => StagedRelease.Upload(remote, bundle.Files, image));
        });
    }

    public void Rollback()
    {
        if (_dryRun)
        {
            _log($"Would roll back {string.Join(", ", _settings.Hosts.Select(h => h.Name))} to {_settings.RollbackVersion ?? "the previous release"}, one VM at a time.");
            return;
        }
        new RollingDeployment(_hosts, _log).Run("Rollback", remote =>
        {
            var target = DeployHistory.RollbackTarget(new DeployHistory(remote).List(), _settings.RollbackVersion)
                ?? throw new DeployException(_settings.RollbackVersion is { } v
                    ? $"{remote.Name}: no release of commit {v} in {DeployHistory.Directory}."
                    : $"{remote.Name}: no earlier release in {DeployHistory.Directory} to go back to.");
            new HostDeployment(remote, _settings, _log).Run(() => StagedRelease.FromHistory(remote, target));
        });
    }

    public void Status()
    {
        if (_dryRun)
        {
            _log($"Would show the status of {string.Join(", ", _settings.Hosts.Select(h => h.Name))}.");
            return;
        }
        foreach (var remote in _hosts)
        {
            try
            {
                _log(StatusReport.For(remote));
            }
            catch (DeployException e)
            {
                // One VM down must not hide the others' state.
                _log($"== {remote.Name}\n{e.Message}");
            }
        }
    }
}
