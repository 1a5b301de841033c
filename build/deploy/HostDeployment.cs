#nullable enable
// Delivers one release to one VM: lock, stage, install, check; on a failed check it prints the
// journal, puts the previous release back, checks that one, and fails. The lock and the staging
// directory go away whatever happens.
public sealed class HostDeployment(RemoteHost remote, DeploySettings settings, Action<string> log)
{
    public void Run(Func<StagedRelease> stage)
    {
        using var deployLock = DeployLock.Acquire(remote, DeployLock.Holder(), settings.BreakLock, log);
        var history = new DeployHistory(remote);
        var before = history.List();
        using var release = stage();
        log($"{remote.Name}: installing {release.Image} (commit {release.Commit})");
        var installation = new Installation(remote, settings.Handover
            ? new Handover(remote, remote.Host.ServicePort, settings.GracefulTimeoutSeconds, settings.VerifyTimeoutSeconds, log)
            : null);
        try
        {
            installation.Install(release);
            new HealthCheck(remote, settings.VerifyTimeoutSeconds, log).WaitUntilHealthy(remote.Host.ServicePort, release.Image, installation.RestartsBaseline);
            installation.Complete();
        }
        catch (DeployException failure) when (failure is not HostUnreachableException)
        {
            log(failure.Message);
            log($"{remote.Name}: last 100 lines of the journal:\n" + Journal(100));
            throw new DeployException(RollBack(installation, before, failure), failure);
        }
        history.Record(release, settings.HistorySize);
    }

    public string Journal(int lines) =>
        remote.TryRun(Journalctl.Tail(DeploySettings.UnitName, lines), quiet: true) is var r && r.ExitCode == 0
            ? r.StandardOutput.TrimEnd()
            : "(journalctl failed: " + r.StandardError.Trim() + ")";

    private string RollBack(Installation installation, System.Collections.Generic.IReadOnlyList<HistoryEntry> before, DeployException failure)
    {
        if (!installation.Undo())
        {
            return $"{failure.Message}. Nothing was deployed here before: the service was removed again.";
        }
        var previous = before.Count > 0 ? before[^1] : null;
        if (previous is null)
        {
            return $"{failure.Message}. The previous unit and env file are back.";
        }
        log($"{remote.Name}: restored the previous release (commit {previous.Commit}); checking it");
        new HealthCheck(remote, settings.VerifyTimeoutSeconds, log).WaitUntilHealthy(remote.Host.ServicePort, previous.Image, installation.RestartsBaseline);
        return $"{failure.Message}. Rolled back: the previous release (commit {previous.Commit}) answers again.";
    }
}
