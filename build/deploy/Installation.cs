#nullable enable
// Puts a staged release in place and restarts the service; Undo puts back what was there before.
// Files are copied next to their target and then renamed, so systemd and docker only ever read a
// whole old file or a whole new one. The env file is root:root 0600: it holds secrets.
public sealed class Installation(RemoteHost remote)
{
    private const string Previous = DeploySettings.RemoteStateDirectory + "/previous";
    private bool _installed;

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

    // Back to the saved files; with none (a first deploy), the service is removed altogether.
    public static ShellCommand RestoreCommand() => RemoteScript.Of(
        "set -e; unit=$1; env=$2; previous=$3; name=${unit##*/}\n" +
        "if [ ! -f \"$previous/unit\" ]; then systemctl disable --now \"$name\" 2>/dev/null || true; rm -f \"$unit\" \"$env\"; systemctl daemon-reload; echo none; exit 0; fi\n" +
        "cp -p \"$previous/unit\" \"$unit.new\"; mv -f \"$unit.new\" \"$unit\"\n" +
        "if [ -f \"$previous/env\" ]; then cp -p \"$previous/env\" \"$env.new\"; mv -f \"$env.new\" \"$env\"; fi\n" +
        "systemctl daemon-reload; systemctl restart \"$name\"; echo restored",
        DeploySettings.RemoteUnitFile, DeploySettings.RemoteEnvFile, Previous);

    public static ShellCommand RestartCommand() => RemoteScript.Sequence(
        Systemctl.DaemonReload(),
        Systemctl.Enable(DeploySettings.UnitName),
        Systemctl.Restart(DeploySettings.UnitName));

    public void Install(StagedRelease release)
    {
        remote.Run(PullCommand(release));
        _installed = true;
        remote.Run(InstallCommand(release.Directory));
        remote.Run(RestartCommand());
    }

    // True when an earlier version was put back (and restarted); false when there was none.
    public bool Undo()
    {
        if (!_installed)
        {
            return false;
        }
        _installed = false;
        return remote.Run(RestoreCommand()).StandardOutput.Trim() == "restored";
    }
}
