#nullable enable
using System.Globalization;

// Every command line Deploy, Rollback and Status run on a VM, as data: the scripts of build/remote/ by
// name with their arguments, and the few single commands. Vm runs them (ssh, sudo); golden-string tests
// pin each one. Commands whose answer the next step reads plan an answer for --dryrun.
public sealed class ServiceCommands(BuildPaths paths)
{
    // ssh works and sudo -n does: checked on every VM before any VM is changed.
    public static ShellCommand Reachable() => ShellCommand.Of("true");

    public ShellCommand Lock(string holder, bool breakLock) =>
        Script("deploy-lock.sh", ServiceLayout.LockDirectory, holder, breakLock ? "break" : "keep");

    public static ShellCommand Unlock() => ShellCommand.Of("rm", "-rf", ServiceLayout.LockDirectory);

    // "<entry> <commit> <image>" per release, oldest first. A dry run plans an earlier and a current
    // release (the earlier one of commit rollbackVersion, when given), so a planned Rollback has a target.
    public ShellCommand History(string? rollbackVersion = null) =>
        Script("history-list.sh", ServiceLayout.HistoryDirectory)
            .Planned($"<earlier-release> {rollbackVersion ?? "<earlier-commit>"} <earlier-image>\n<current-release> <current-commit> <current-image>");

    public ShellCommand Record(string stage, string entry, int keep) =>
        Script("history-record.sh", ServiceLayout.HistoryDirectory, stage, entry, Number(keep));

    // As the login user, not root: a 0700 directory that scp then fills without sudo.
    public static ShellCommand StagingDirectory() =>
        ShellCommand.Of("mktemp", "-d", "/tmp/purchase_predict_api.XXXXXXXX").Planned("/tmp/purchase_predict_api.<staged>");

    public ShellCommand StageFromHistory(string entry) =>
        Script("stage-from-history.sh", ServiceLayout.HistoryDirectory + "/" + entry).Planned("/tmp/purchase_predict_api.<staged>");

    public static ShellCommand RemoveStage(string directory) => ShellCommand.Of("rm", "-rf", directory);

    // Before the pull: docker logs in as the VM's service account (metadataServer null: docker is already
    // authenticated), and the service's key file, if any, is there for the container's user.
    public ShellCommand Credentials(string vm, string image, string? metadataServer, string? keyFile) =>
        Script("vm-credentials.sh", vm, image, metadataServer ?? "", keyFile ?? "", VmCredentials.ContainerUser);

    public ShellCommand Pull(string image) => Script("pull-image.sh", image);

    public ShellCommand Install(string stage) =>
        Script("install-release.sh", stage, ServiceLayout.UnitFile, ServiceLayout.EnvFile, ServiceLayout.PreviousDirectory, ServiceLayout.RequestFile);

    // "none", or "restored <NRestarts>".
    public ShellCommand Restore(bool restart) =>
        Script("restore-release.sh", ServiceLayout.UnitFile, ServiceLayout.EnvFile, ServiceLayout.PreviousDirectory, restart ? "restart" : "keep")
            .Planned("restored 0");

    // Prints the unit's restart counter right after the restart: systemd keeps counting across manual
    // restarts, so the health check compares with this baseline.
    public static ShellCommand Restart() => ShellCommand.All(
        Systemctl.DaemonReload(),
        Systemctl.Enable(ServiceLayout.UnitName),
        Systemctl.Restart(ServiceLayout.UnitName),
        Systemctl.ShowValue(ServiceLayout.UnitName, "NRestarts"));

    public static ShellCommand IsActive() => Systemctl.IsActive(ServiceLayout.UnitName);

    // No --rm: its exit code and logs must outlive it, for the log line that says why it stopped. The same
    // credentials as the unit's container (the key file's mount, if any).
    public static ShellCommand StartHandover(string image, IReadOnlyList<string> credentialArguments) => ShellCommand.Of("docker", ["run", "--detach",
        "--name", ServiceLayout.HandoverContainer, "--env-file", ServiceLayout.EnvFile, "--network", "host", .. credentialArguments, image]);

    public ShellCommand StopContainer(string container, int gracefulSeconds) =>
        Script("stop-container.sh", container, Number(gracefulSeconds));

    // Exit 0: the container listens on the port; 1: not yet; 2: it is gone or has exited.
    public ShellCommand Listening(string container, int port) =>
        Script("container-listening.sh", container, Number(port));

    // Exit 0: /predict's answer on stdout; 3: not ready yet; 4: crashed (why on stdout).
    public ShellCommand Probe(int port, string image, int restartsBaseline) =>
        Script("probe-release.sh", ServiceLayout.UnitName, ServiceLayout.ContainerName, image, Number(restartsBaseline), Url(port), ServiceLayout.RequestFile);

    public ShellCommand Status(int port, int logLines) =>
        Script("status.sh", ServiceLayout.UnitName, ServiceLayout.ContainerName, Url(port), ServiceLayout.HistoryDirectory, Number(logLines));

    public static ShellCommand Journal(int lines) => Journalctl.Tail(ServiceLayout.UnitName, lines);

    public static ShellCommand ContainerLogs(string container, int lines) => DockerContainer.Logs(container, lines);

    private ShellCommand Script(string name, params string[] arguments) => RemoteScript.Of(paths.RemoteScript(name), arguments);

    private static string Url(int port) => "http://127.0.0.1:" + Number(port);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
