#nullable enable
// Background services (dockerd, the sandbox registry, the storage emulator) started with Debian's
// start-stop-daemon: detached from the build so they outlive it, with a pid file so they can be found
// and stopped again.
public static class Daemon
{
    public static ShellCommand Start(string pidFile, string logFile, string executable, IEnumerable<string> arguments) =>
        ShellCommand.Of("start-stop-daemon", ["--start", "--background", "--make-pidfile", "--pidfile", pidFile,
            "--output", logFile, "--exec", executable, "--", .. arguments]);

    // Succeeds when nothing runs (--oknodo); waits up to 10 s for a clean exit, then kills.
    public static ShellCommand Stop(string pidFile) =>
        ShellCommand.Of("start-stop-daemon", "--stop", "--oknodo", "--remove-pidfile", "--retry", "TERM/10/KILL/5", "--pidfile", pidFile);
}
