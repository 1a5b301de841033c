#nullable enable
using System.Globalization;
using System.Text.RegularExpressions;

// The deploy locks (deploy-lock.sh, Kamal's lock on its primary host): an environment's rollout lock on
// its first VM, held by a Deploy or Rollback for the whole rollout, so one runs at a time and a bad
// release reaches at most one VM; and each VM's own lock while that VM changes. A held lock fails the run
// at once, naming its holder, or is waited for (--lock-wait). There is no expiry on purpose: a slow deploy
// must never be broken into; a killed one's lock is removed only with --break-lock=true.
public sealed class DeployLocks(DeploySettings settings, ServiceCommands commands, CommandRunner runner, Action<string> log, string what)
{
    private const int Held = 75;
    private static readonly Regex HolderPattern = new(@"^\S+@(?<machine>\S+) pid (?<pid>\d+) since ", RegexOptions.Compiled);

    // Who holds the locks of this run: user, machine, process, time and what for. One text for the run,
    // so that releasing recognises its own lock.
    public string Holder { get; } =
        $"{System.Environment.UserName}@{System.Environment.MachineName} pid {System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} " +
        $"since {DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} ({what} of {settings.Environment})";

    public IDisposable Take(Vm vm, string directory)
    {
        var first = vm.TryRun(commands.Lock(directory, Holder, settings.BreakLock));
        var holder = Answer(vm, directory, first);
        if (holder is not null && settings.LockWaitSeconds > 0)
        {
            log($"{vm.Name}: {directory} is held by {holder}; waiting up to {settings.LockWaitSeconds} s (--lock-wait)");
            var taken = runner.WaitUntil($"{directory} on {vm.Host.Name} is free", () =>
            {
                if (runner.Interruption.IsRequested)
                {
                    return null;
                }
                holder = Answer(vm, directory, vm.TryRun(commands.Lock(directory, Holder, breakLock: false), quiet: true));
                return holder is null;
            }, TimeSpan.FromSeconds(settings.LockWaitSeconds), TimeSpan.FromSeconds(2));
            runner.Interruption.ThrowIfRequested($"no longer waiting for {directory} on {vm.Host.Name}");
            holder = taken ? null : holder;
        }
        if (holder is not null)
        {
            throw new DeployLockedException($"{vm.Name}: another deploy holds the lock {directory}: {holder}. " +
                Advice(holder, System.Environment.MachineName, IsRunning) +
                (settings.LockWaitSeconds > 0 ? $" Waited {settings.LockWaitSeconds} s." : ""));
        }
        return new Lease(() => Release(vm, directory));
    }

    // What to do about a held lock, from its holder text: whether that process still runs when it ran here.
    public static string Advice(string holder, string thisMachine, Func<int, bool> isRunning)
    {
        var match = HolderPattern.Match(holder);
        if (!match.Success)
        {
            return "Wait for it (--lock-wait=<seconds>), or if that deploy is dead, run again with --break-lock=true.";
        }
        var pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["machine"].Value != thisMachine)
        {
            return $"It runs on {match.Groups["machine"].Value}: wait for it (--lock-wait=<seconds>), or if it is dead there, run again with --break-lock=true.";
        }
        return isRunning(pid)
            ? $"Process {pid} still runs on this machine: wait for it (--lock-wait=<seconds>)."
            : $"Process {pid} is gone from this machine: that deploy was killed and its lock is stale. Run again with --break-lock=true.";
    }

    // The holder printed by deploy-lock.sh when someone else holds the lock; null when we took it.
    private static string? Answer(Vm vm, string directory, CommandResult result) => result.ExitCode switch
    {
        0 => null,
        Held => result.StandardOutput.Trim(),
        _ => throw new DeployException($"{vm.Name}: could not take the lock {directory}: {result.LastLine}"),
    };

    // Runs while another error may be unwinding: report, never throw.
    private void Release(Vm vm, string directory)
    {
        try
        {
            var result = vm.TryRun(commands.Unlock(directory, Holder), quiet: true);
            if (result.ExitCode == Held)
            {
                log($"WARNING: {vm.Name}: {directory} was taken over by {result.StandardOutput.Trim()} (--break-lock=true); left to it.");
            }
            else if (result.ExitCode != 0)
            {
                log($"WARNING: {vm.Name}: {directory} was not released ({result.LastLine}); the next deploy needs --break-lock=true.");
            }
        }
        catch (DeployException e)
        {
            log($"WARNING: {directory} on {vm.Name} was not released ({e.Message}); the next deploy needs --break-lock=true.");
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class Lease(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
