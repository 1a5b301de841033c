#nullable enable
using System.Diagnostics;
using System.Globalization;
using System.Threading;

// Zero-downtime replacement with host networking. Before the unit restarts, a second container of the
// new release starts on the same port (the workers listen with SO_REUSEPORT, so the kernel spreads
// connections over every listener); the unit's old container then drains and stops while this one
// serves, and it leaves only once the unit's new container listens too. A release that can't start
// that hangs fails here, while the old version still runs untouched. A handover container that exits
// (a server that can't share its port, or a broken release) means a plain restart instead, with its
// short gap: the health check after it is what accepts or rolls back a release.
public sealed class Handover(RemoteHost remote, int port, int gracefulSeconds, int timeoutSeconds, Action<string> log)
{
    public const string ContainerName = DeploySettings.ContainerName + "_handover";

    private const int Exited = 2;

    // No --rm: its exit code and logs must outlive it, for the log line that says why it stopped.
    public static ShellCommand StartCommand(string image) => ShellCommand.Of("docker", "run", "--detach",
        "--name", ContainerName, "--env-file", DeploySettings.RemoteEnvFile, "--network", "host", image);

    public static ShellCommand StopCommand(int gracefulSeconds) => RemoteScript.Of(
        "docker stop --time \"$2\" \"$1\" >/dev/null 2>&1; docker rm --force \"$1\" >/dev/null 2>&1; true",
        ContainerName, gracefulSeconds.ToString(CultureInfo.InvariantCulture));

    // Exit 0 when a process of the container owns a listening TCP socket on the port: the one test that
    // tells two listeners on a shared port apart (an HTTP answer could come from either). Exit 2: the
    // container is gone or has exited.
    public static ShellCommand ListeningCommand(string container, int port) => RemoteScript.Of(
        "[ \"$(docker inspect --format '{{.State.Running}}' \"$1\" 2>/dev/null)\" = true ] || exit 2; " +
        "id=$(docker inspect --format '{{.Id}}' \"$1\") || exit 2; " +
        "port=$(printf ':%04X' \"$2\"); " +
        "inodes=$(awk -v p=\"$port\" '$2 ~ p\"$\" && $4 == \"0A\" {print $10}' /proc/net/tcp /proc/net/tcp6); " +
        "[ -n \"$inodes\" ] || exit 1; " +
        "for pid in $(grep -l \"$id\" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3); do " +
        "for fd in /proc/$pid/fd/*; do link=$(readlink \"$fd\" 2>/dev/null) || continue; " +
        "for inode in $inodes; do [ \"$link\" = \"socket:[$inode]\" ] && exit 0; done; done; done; exit 1",
        container, port.ToString(CultureInfo.InvariantCulture));

    // Starts the handover container when the service currently runs; false when there is nothing to hand over from.
    public bool Start(string image)
    {
        if (remote.TryRun(Systemctl.IsActive(DeploySettings.UnitName), quiet: true).StandardOutput.Trim() != "active")
        {
            return false;
        }
        remote.Run(StopCommand(1), quiet: true);
        remote.Run(StartCommand(image));
        if (!WaitUntilListening(ContainerName))
        {
            var why = remote.TryRun(ShellCommand.Of("docker", "logs", "--tail", "1", ContainerName), quiet: true);
            log($"{remote.Name}: the handover container exited ({(why.StandardOutput + why.StandardError).Trim()}); " +
                "a plain restart instead, with a short gap (docs/deploy.md)");
            Stop();
            return false;
        }
        log($"{remote.Name}: handover container listens on {port}; restarting the unit");
        return true;
    }

    // True once the container listens; false when it has exited; an error when it neither listens nor exits in time.
    public bool WaitUntilListening(string container)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = remote.TryRun(ListeningCommand(container, port), quiet: true);
            if (result.ExitCode is 0 or Exited)
            {
                return result.ExitCode == 0;
            }
            if (clock.Elapsed.TotalSeconds > timeoutSeconds)
            {
                var logs = remote.TryRun(ShellCommand.Of("docker", "logs", "--tail", "30", container), quiet: true);
                throw new HealthCheckFailedException(
                    $"{remote.Name}: container {container} is not listening on port {port} after {clock.Elapsed.TotalSeconds:0} s. Its last lines:\n" +
                    (logs.StandardOutput + logs.StandardError).TrimEnd());
            }
            Thread.Sleep(250);
        }
    }

    public void Stop() => remote.Run(StopCommand(gracefulSeconds), quiet: true);
}
