#nullable enable
using System.Globalization;

// What runs on one VM: unit state and since when, the container's image and commit (its OCI revision
// label), the newest history entry, the answer of GET /, and the last log lines.
public static class StatusReport
{
    public static ShellCommand Command(int servicePort, int logLines) => RemoteScript.Of(
        "unit=$1; c=$2; url=$3; h=$4\n" +
        "echo \"unit:    $(systemctl show --property=ActiveState --value \"$unit\") ($(systemctl show --property=SubState --value \"$unit\")) since $(systemctl show --property=ActiveEnterTimestamp --value \"$unit\")\"\n" +
        "echo \"image:   $(docker inspect --format '{{.Config.Image}}' \"$c\" 2>/dev/null || echo 'no container')\"\n" +
        "echo \"commit:  $(docker inspect --format '{{index .Config.Labels \"org.opencontainers.image.revision\"}}' \"$c\" 2>/dev/null || echo unknown)\"\n" +
        "echo \"started: $(docker inspect --format '{{.State.StartedAt}}' \"$c\" 2>/dev/null || echo -)\"\n" +
        "echo \"history: $(ls -1 \"$h\" 2>/dev/null | sort | tr '\\n' ' ')\"\n" +
        "echo \"health:  GET / -> $(curl --silent --show-error --max-time 5 \"$url\" 2>&1)\"\n" +
        "echo \"last log lines:\"\n" +
        Journalctl.Tail(DeploySettings.UnitName, logLines).ToShellLine(),
        DeploySettings.UnitName, DeploySettings.ContainerName,
        $"http://127.0.0.1:{servicePort.ToString(CultureInfo.InvariantCulture)}/", DeployHistory.Directory);

    public static string For(RemoteHost remote) =>
        $"== {remote.Name}\n" + remote.Run(Command(remote.Host.ServicePort, 20), quiet: true).StandardOutput.TrimEnd();
}
