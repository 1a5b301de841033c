#nullable enable
using System.Linq;

// One of the sandbox's long-running services (a registry, a token endpoint, a metadata server...),
// started detached by start-stop-daemon so it outlives the build, with its pid file and its log (a new
// one per start) in the sandbox's home. Start replaces whatever ran under its pid file, then waits until
// ready says so; a service that dies first fails at once, with the last lines of its log.
public sealed class SandboxDaemon(CommandRunner runner, string name, string pidFile, string logFile)
{
    public string Name => name;

    public string LogFile => logFile;

    public void Start(ShellCommand command, Func<bool> ready, TimeSpan timeout)
    {
        Stop();
        runner.Do($"create {System.IO.Path.GetDirectoryName(logFile)}", () => System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(logFile)!));
        runner.DeleteFile(logFile);
        // start-stop-daemon runs an executable by its path.
        runner.Run(Daemon.Start(pidFile, logFile, HostTools.Find(command.Program) ?? command.Program, command.ArgumentValues()));
        if (!runner.WaitUntil($"{name} is ready", () => ready() ? true : HasExited() ? null : false, timeout, TimeSpan.FromMilliseconds(200)))
        {
            var tail = System.IO.File.Exists(logFile) ? string.Join(" | ", System.IO.File.ReadLines(logFile).TakeLast(5)) : "(no log)";
            throw new InvalidOperationException($"The sandbox's {name} did not start ({(HasExited() ? "it exited" : $"not ready after {timeout.TotalSeconds:0} s")}): {tail} (log: {logFile}).");
        }
    }

    // The stand-ins of tools/PurchasePredict.GcpSandbox and the storage emulator print "<name> ready on <url>" once they serve.
    public bool Logged(string line) => System.IO.File.Exists(logFile) && System.IO.File.ReadLines(logFile).Any(l => l.Contains(line, StringComparison.Ordinal));

    // Nothing to do when it is not running.
    public void Stop()
    {
        if (System.IO.File.Exists(pidFile))
        {
            runner.Run(Daemon.Stop(pidFile));
        }
    }

    // True once the process its pid file names is gone; false while it runs, or before the pid file is written.
    private bool HasExited() =>
        System.IO.File.Exists(pidFile)
        && int.TryParse(System.IO.File.ReadAllText(pidFile).Trim(), out var pid)
        && !System.IO.Directory.Exists($"/proc/{pid}");
}
