#nullable enable
using System.Globalization;

// Every command line Deploy, Rollback and Status run on a VM, as data: the scripts of build/remote/ by
// name with their arguments, and the few single commands. Vm runs them (ssh, sudo); golden-string tests
// pin each one. Commands whose answer the next step reads plan an answer for --dryrun.
public sealed class ServiceCommands(BuildPaths paths)
{
    // ssh works and sudo -n does: checked on every VM before any VM is changed.
    public static ShellCommand Reachable() => ShellCommand.Of("true");

    // Exit 75 with the holder on stdout when another deploy holds the lock.
    public ShellCommand Lock(string directory, string holder, bool breakLock) =>
        Script("deploy-lock.sh", directory, holder, breakLock ? "break" : "keep");

    public ShellCommand Unlock(string directory, string holder) => Script("deploy-lock.sh", directory, holder, "release");

    // What a killed deploy left behind: its staging directories and extra containers.
    public ShellCommand CleanLeftovers() =>
        Script("clean-leftovers.sh", ServiceLayout.StagePrefix, ServiceLayout.CandidateContainer, ServiceLayout.HandoverContainer);

    // "<entry> <commit> <image>" per release, oldest first. A dry run plans an earlier and a current
    // release (the earlier one of commit rollbackVersion, when given), so a planned Rollback has a target.
    public ShellCommand History(string? rollbackVersion = null) =>
        Script("history-list.sh", ServiceLayout.HistoryDirectory)
            .Planned($"<earlier-release> {rollbackVersion ?? "<earlier-commit>"} <earlier-image>\n<current-release> <current-commit> <current-image>");

    public ShellCommand Record(string stage, string entry, int keep) =>
        Script("history-record.sh", ServiceLayout.HistoryDirectory, stage, entry, Number(keep));

    // As the login user, not root: a 0700 directory that scp then fills without sudo.
    public static ShellCommand StagingDirectory() =>
        ShellCommand.Of("mktemp", "-d", ServiceLayout.StagePrefix + "XXXXXXXX").Planned(ServiceLayout.StagePrefix + "<staged>");

    // As the login user: writes its standard input (the env file, which holds secrets) to a file of the
    // staging directory. No copy of it is ever written on the runner.
    public static ShellCommand ReceiveFile(string path) => ShellCommand.Of("dd", "of=" + path, "status=none");

    public ShellCommand StageFromHistory(string entry) =>
        Script("stage-from-history.sh", ServiceLayout.HistoryDirectory + "/" + entry).Planned(ServiceLayout.StagePrefix + "<staged>");

    public static ShellCommand RemoveStage(string directory) => ShellCommand.Of("rm", "-rf", directory);

    // "same" or "differs: <what>". A dry run plans a difference, so the plan shows every step.
    public ShellCommand SameRelease(string stage, int port) =>
        Script("same-release.sh", stage, ServiceLayout.UnitFile, ServiceLayout.EnvFile, ServiceLayout.UnitName, ServiceLayout.ContainerName,
            ServiceLayout.HistoryDirectory, Url(port)).Planned("differs: a dry run compares nothing");

    // Before the pull: docker logs in as the VM's service account (metadataServer null: docker is already
    // authenticated), and the service's key file, if any, is there for the container's user.
    public ShellCommand Credentials(string vm, string image, string? metadataServer, string? keyFile) =>
        Script("vm-credentials.sh", vm, image, metadataServer ?? "", keyFile ?? "", VmCredentials.ContainerUser);

    public ShellCommand Pull(string image) => Script("pull-image.sh", image);

    public ShellCommand KernelSettings(DeployHost host) =>
        Script("kernel-settings.sh", [ServiceLayout.SysctlFile, .. VmKernelSettings.For(host)]);

    // Prints the port the candidate listens on.
    // The candidate runs like the unit's container (containerArguments: DeploySettings.ContainerArguments).
    public ShellCommand StartCandidate(string stage, string image, ContainerNetwork network, int containerPort, IReadOnlyList<string> containerArguments) =>
        StartCandidateWith(stage + "/" + ServiceLayout.StagedEnv, image, network, containerPort, containerArguments);

    // Reload's candidate: the running release's image with the installed env file, so it resolves the model source
    // exactly as the service will.
    public ShellCommand StartCandidateWith(string envFile, string image, ContainerNetwork network, int containerPort, IReadOnlyList<string> containerArguments) =>
        Script("start-candidate.sh", [ServiceLayout.CandidateContainer, envFile, image,
            network == ContainerNetwork.Host ? "host" : "publish", Number(containerPort),
            Number(ServiceLayout.CandidateFirstPort), Number(ServiceLayout.CandidateLastPort), .. containerArguments]).Planned("<candidate-port>");

    public ShellCommand Install(string stage) =>
        Script("install-release.sh", stage, ServiceLayout.UnitFile, ServiceLayout.EnvFile, ServiceLayout.RequestFile);

    // A failed first deploy: the VM had no service before, and has none again.
    public ShellCommand Remove() => Script("remove-release.sh", ServiceLayout.UnitFile, ServiceLayout.EnvFile);

    // Prints the unit's restart counter right after the restart: systemd keeps counting across manual
    // restarts, so the health check compares with this baseline.
    public static ShellCommand Restart() => ShellCommand.All(
        Systemctl.DaemonReload(),
        Systemctl.Enable(ServiceLayout.UnitName),
        Systemctl.Restart(ServiceLayout.UnitName),
        Systemctl.ShowValue(ServiceLayout.UnitName, "NRestarts"));

    public static ShellCommand IsActive() => Systemctl.IsActive(ServiceLayout.UnitName);

    // No --rm: its exit code and logs must outlive it, for the log line that says why it stopped. Its logs go to
    // the VM's journal, like the unit's, so they outlive its removal too: `journalctl CONTAINER_NAME=<it>` shows
    // how it served and drained. It runs like the unit's container (containerArguments: DeploySettings.ContainerArguments).
    public static ShellCommand StartHandover(string image, IReadOnlyList<string> containerArguments) => ShellCommand.Of("docker", ["run", "--detach",
        "--name", ServiceLayout.HandoverContainer, "--log-driver", "journald", "--env-file", ServiceLayout.EnvFile, "--network", "host", .. containerArguments, image]);

    public ShellCommand StopContainer(string container, int gracefulSeconds) =>
        Script("stop-container.sh", container, Number(gracefulSeconds));

    // Exit 0: ready, the /predict answer (or "ready" without url) on stdout; 3: not ready yet; 4: crashed or exited.
    public ShellCommand Probe(string container, string image, string? url, string requestFile) =>
        Script("probe-release.sh", container, image, url ?? "-", requestFile);

    // The same for the unit's own container, which must not have restarted since restartsBaseline. While the
    // handover container serves the same port (sharesPort), only the container's own log can say it is ready.
    public ShellCommand ProbeService(string image, int port, int restartsBaseline, bool sharesPort) =>
        Script("probe-release.sh", ServiceLayout.ContainerName, image, Url(port), ServiceLayout.RequestFile,
            ServiceLayout.UnitName, Number(restartsBaseline), sharesPort ? "shared" : "alone");

    // The image the service's container runs.
    public static ShellCommand RunningImage() =>
        DockerContainer.Inspect(ServiceLayout.ContainerName, "{{.Config.Image}}").Planned("<running-image>");

    // GET /model of the service at url (one line of JSON); with directory, also kept there as model.json.
    public ShellCommand ModelIdentity(string url, string? directory = null) =>
        Script("model-identity.sh", directory is null ? [url] : [url, directory])
            .Planned($"{{\"source\":\"<source>\",\"sha256\":\"<sha256 at {url}>\"}}");

    // systemctl reload (the unit's ExecReload: SIGHUP to the master); prints the reload generation to wait for.
    public ShellCommand SendReload() => Script("send-reload.sh", ServiceLayout.UnitName, ServiceLayout.ContainerName).Planned("<generation>");

    // Exit 0 once every worker of reload generation serves the model of sha256 (the /predict answer on stdout);
    // 3: not yet; 4: a new worker failed to load it.
    public ShellCommand ProbeReload(string generation, int port, string sha256) =>
        Script("probe-reload.sh", ServiceLayout.ContainerName, generation, Url(port), sha256, ServiceLayout.RequestFile);

    // Exit 0 when the service is active, ready and answers /predict.
    public ShellCommand Status(int port, int logLines) =>
        Script("status.sh", ServiceLayout.UnitName, ServiceLayout.ContainerName, Url(port), ServiceLayout.HistoryDirectory,
            ServiceLayout.RequestFile, Number(logLines), ServiceLayout.RolloutLockDirectory, ServiceLayout.LockDirectory)
            .Planned("predict: [0]");

    public static ShellCommand Journal(int lines) => Journalctl.Tail(ServiceLayout.UnitName, lines);

    public static ShellCommand ContainerLogs(string container, int lines) => DockerContainer.Logs(container, lines);

    public static string Url(int port) => Url(Number(port));

    public static string Url(string port) => "http://127.0.0.1:" + port;

    private ShellCommand Script(string name, params string[] arguments) => RemoteScript.Of(paths.RemoteScript(name), arguments);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
