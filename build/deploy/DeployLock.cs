#nullable enable
// The per-VM deploy lock: a directory (mkdir is atomic) holding who took it and when. A second
// Deploy fails at once and names the holder. A lock left by a killed deploy stays until someone
// passes --break-lock=true after checking that deploy is really gone (docs/deploy.md).
public sealed class DeployLock : IDisposable
{
    public const string Path = DeploySettings.RemoteStateDirectory + "/deploy.lock";
    private const int Held = 75;

    private readonly RemoteHost _remote;
    private readonly Action<string> _log;
    private bool _released;

    private DeployLock(RemoteHost remote, Action<string> log) => (_remote, _log) = (remote, log);

    public static ShellCommand AcquireCommand(string holder, bool breakLock) => RemoteScript.Of(
        "lock=$1; mkdir -p -m 0755 \"${lock%/*}\"; " +
        "if [ \"$3\" = break ]; then rm -rf \"$lock\"; fi; " +
        "if mkdir \"$lock\" 2>/dev/null; then printf '%s\\n' \"$2\" > \"$lock/holder\"; exit 0; fi; " +
        $"cat \"$lock/holder\" 2>/dev/null || echo 'a deploy that is just starting'; exit {Held}",
        Path, holder, breakLock ? "break" : "keep");

    public static ShellCommand ReleaseCommand() => ShellCommand.Of("rm", "-rf", Path);

    public static DeployLock Acquire(RemoteHost remote, string holder, bool breakLock, Action<string> log)
    {
        var result = remote.TryRun(AcquireCommand(holder, breakLock));
        return result.ExitCode switch
        {
            0 => new DeployLock(remote, log),
            Held => throw new DeployLockedException(
                $"{remote.Name}: another deploy holds the lock: {result.StandardOutput.Trim()}. " +
                "If that deploy is dead, run again with --break-lock=true."),
            _ => throw new DeployException($"{remote.Name}: could not take the deploy lock {Path}: {result.StandardError.Trim()}"),
        };
    }

    // Who is deploying: user, machine, process and time, so the message of a blocked deploy is actionable.
    public static string Holder() =>
        $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}";

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            try
            {
                _remote.Run(ReleaseCommand(), quiet: true);
            }
            catch (DeployException e)
            {
                // Runs while another error may be unwinding: report, don't replace it.
                _log($"WARNING: the deploy lock {Path} on {_remote.Name} was not released ({e.Message}); the next deploy needs --break-lock=true.");
            }
        }
    }
}
