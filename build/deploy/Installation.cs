#nullable enable
// Puts a staged release in place and restarts the service; Undo puts back what was there before.
// Files are copied next to their target and then renamed, so systemd and docker only ever read a
// whole old file or a whole new one. The env file is root:root 0600: it holds secrets.
public sealed class Installation(RemoteHost remote, Handover? handover)
{
    private const string Previous = DeploySettings.RemoteStateDirectory + "/previous";
    private bool _installed;
    private bool _restarted;
    private bool _handingOver;

    // Fetches the image first: the slow part, done while the old version still serves.
    public static ShellCommand PullCommand(StagedRelease release) =>
        RemoteScript.Of("docker image inspect \"$1\" >/dev/null 2>&1 || docker pull --quiet \"$1\"", release.Image);

    public static ShellCommand InstallCommand(string stage) => RemoteScript.Of(
        "set -e; stage=$1; unit=$2; env=$3; previous=$4; state=${previous%/*}\n" +
        "rm -rf \"$previous\"; install -d -m 0700 \"$previous\"\n" +
        "if [ -f \"$unit\" ]; then cp -p \"$unit\" \"$previous/unit\"; fi\n" +
        "if [ -f \"$env\" ]; then cp -p \"$env\" \"$previous/env\"; fi\n" +
        $"install -o root -g root -m 0644 \"$stage/{StagedRelease.UnitFile}\" \"$unit.new\"; mv -f \"$unit.new\" \"$unit\"\n" +
        $"install -o root -g root -m 0600 \"$stage/{StagedRelease.EnvFile}\" \"$env.new\"; mv -f \"$env.new\" \"$env\"\n" +
        $"install -o root -g root -m 0644 \"$stage/{StagedRelease.RequestFile}\" \"$state/{StagedRelease.RequestFile}\"",
        stage, DeploySettings.RemoteUnitFile, DeploySettings.RemoteEnvFile, Previous);

    // Back to the saved files; with none (a first deploy), the service is removed altogether. $4 = restart
    // or not: when the unit was never restarted, the old version still runs and only the files go back.
    public static ShellCommand RestoreCommand(bool restart) => RemoteScript.Of(
        "set -e; unit=$1; env=$2; previous=$3; restart=$4; name=${unit##*/}\n" +
        "if [ ! -f \"$previous/unit\" ]; then systemctl disable --now \"$name\" 2>/dev/null || true; rm -f \"$unit\" \"$env\"; systemctl daemon-reload; echo none; exit 0; fi\n" +
        "cp -p \"$previous/unit\" \"$unit.new\"; mv -f \"$unit.new\" \"$unit\"\n" +
        "if [ -f \"$previous/env\" ]; then cp -p \"$previous/env\" \"$env.new\"; mv -f \"$env.new\" \"$env\"; fi\n" +
        "systemctl daemon-reload; if [ \"$restart\" = restart ]; then systemctl restart \"$name\"; fi; " +
        "echo \"restored $(systemctl show --property=NRestarts --value \"$name\")\"",
        DeploySettings.RemoteUnitFile, DeploySettings.RemoteEnvFile, Previous, restart ? "restart" : "keep");

    // Prints the unit's restart counter right after the restart: systemd keeps counting across manual
    // restarts, so the health check compares with this baseline.
    public static ShellCommand RestartCommand() => RemoteScript.Sequence(
        Systemctl.DaemonReload(),
        Systemctl.Enable(DeploySettings.UnitName),
        Systemctl.Restart(DeploySettings.UnitName),
        Systemctl.ShowValue(DeploySettings.UnitName, "NRestarts"));

    // The unit's automatic restarts counted when it was last (re)started by us.
    public int RestartsBaseline { get; private set; }

    public void Install(StagedRelease release)
    {
        remote.Run(PullCommand(release));
        _installed = true;
        remote.Run(InstallCommand(release.Directory));
        _handingOver = handover?.Start(release.Image) ?? false;
        _restarted = true;
        RestartsBaseline = Counter(remote.Run(RestartCommand()).StandardOutput);
    }

    // Once the unit's new container listens, the handover container drains and leaves.
    public void Complete()
    {
        if (_handingOver)
        {
            if (!handover!.WaitUntilListening(DeploySettings.ContainerName))
            {
                throw new HealthCheckFailedException($"{remote.Name}: the new container could not bind its port next to the handover container.");
            }
            handover.Stop();
            _handingOver = false;
        }
    }

    // True when an earlier version was put back (restarted if it had been stopped; RestartsBaseline is then
    // its counter); false when there was none.
    public bool Undo()
    {
        if (_handingOver)
        {
            handover!.Stop();
            _handingOver = false;
        }
        if (!_installed)
        {
            return false;
        }
        _installed = false;
        var output = remote.Run(RestoreCommand(_restarted)).StandardOutput.Trim();
        if (!output.StartsWith("restored ", StringComparison.Ordinal))
        {
            return false;
        }
        RestartsBaseline = Counter(output["restored ".Length..]);
        return true;
    }

    private int Counter(string text) =>
        int.TryParse(text.Trim(), out var count) ? count : throw new DeployException($"{remote.Name}: unexpected NRestarts '{text.Trim()}'.");
}
