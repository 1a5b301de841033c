#nullable enable
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    // The last non-empty line of standard error (else of standard output): what a failure message quotes.
    public string LastLine => Text.LastLine(StandardError) ?? Text.LastLine(StandardOutput) ?? "(no output)";
}

public sealed class CommandFailedException(ShellCommand command, CommandResult result)
    : Exception($"`{command}` exited with code {result.ExitCode}{Tail(result.StandardError)}")
{
    public ShellCommand Command { get; } = command;

    public CommandResult Result { get; } = result;

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "" : ":\n  " + string.Join("\n  ", lines.TakeLast(10));
    }
}

// The one place that starts processes and has side effects, local or (through ssh) remote, and the only
// one that knows about --dryrun and about secrets:
// - no shell is involved: arguments go through ProcessStartInfo.ArgumentList;
// - the log shows the redacted command; every output handed back has the known secret values replaced by ***;
// - in a dry run, Run/TryRun log the command and report success with its planned output, file changes are
//   logged instead of made, and waits end at once; only Query (read-only, local) really runs;
// - once the run is interrupted (Interruption), a local command it waits for is killed and no new one
//   starts; a command marked FinishesWhenInterrupted (ssh, scp: it changes a VM) runs in a session of its
//   own, so a signal to the pipeline's process group doesn't reach it, and finishes.
public sealed class CommandRunner(Action<string> log)
{
    // util-linux's setsid: the child leads a new session and process group (no .NET API sets a child's group).
    private const string Setsid = "/usr/bin/setsid";

    private readonly List<Secret> _secrets = [];

    public string? WorkingDirectory { get; init; }

    public bool DryRun { get; init; }

    public Interruption Interruption { get; init; } = new();

    // Values that must never be shown: their text is replaced by *** in everything the runner hands back.
    public void Redact(IEnumerable<Secret> secrets)
    {
        lock (_secrets)
        {
            _secrets.AddRange(secrets.Where(s => s.Value.Length > 0));
        }
    }

    public string Redacted(string text)
    {
        lock (_secrets)
        {
            return _secrets.Aggregate(text, (current, secret) => current.Replace(secret.Value, "***", StringComparison.Ordinal));
        }
    }

    // Runs the command, returns its output, and throws CommandFailedException on a non-zero exit.
    // onLine sees each output line as it arrives: how long steps show their progress.
    public CommandResult Run(ShellCommand command, bool quiet = false, Action<string>? onLine = null, string? shown = null)
    {
        var result = TryRun(command, quiet, onLine: onLine, shown: shown);
        return result.ExitCode == 0 ? result : throw new CommandFailedException(command, result);
    }

    // Runs the command and returns whatever it ended with; the caller decides what a failure means.
    // shown replaces the command line in the log (a VM shows "[vm] remote command" instead of the whole ssh line).
    public CommandResult TryRun(ShellCommand command, bool quiet = false, TimeSpan? timeout = null, Action<string>? onLine = null, string? shown = null)
    {
        if (DryRun)
        {
            log(Redacted("[dry run] " + (shown ?? command.ToString())));
            return new CommandResult(0, command.PlannedOutput ?? "", "");
        }
        if (!command.FinishesWhenInterrupted)
        {
            Interruption.ThrowIfRequested($"`{Redacted(command.ToString())}` was not started");
        }
        if (!quiet)
        {
            log(Redacted(shown ?? "> " + command));
        }
        return Execute(command, timeout, onLine);
    }

    // A read-only query of this machine (git ls-remote of a local repository, docker image inspect):
    // runs in a dry run too, so that the plan shows what would really happen. Never logged.
    public CommandResult Query(ShellCommand command, TimeSpan? timeout = null) => Execute(command, timeout, null);

    // The standard output of a command that prints a secret (an access token): never logged, redacted from
    // everything that follows. A dry run runs nothing and gets a stand-in.
    public Secret ReadSecret(ShellCommand command)
    {
        if (DryRun)
        {
            TryRun(command, quiet: true);
            return new Secret("dry-run");
        }
        Interruption.ThrowIfRequested($"`{Redacted(command.ToString())}` was not started");
        // Its own output is not redacted: a metadata server hands out the same token until it nears its
        // expiry, so the second read of a run would come back as "***", which a registry refuses.
        var result = Execute(command, null, null, redactOutput: false);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(command, result with { StandardOutput = Redacted(result.StandardOutput) });
        }
        var secret = new Secret(result.StandardOutput.Trim());
        Redact([secret]);
        return secret;
    }

    // A change to local files that a dry run only describes.
    public void Do(string description, Action change)
    {
        if (DryRun)
        {
            log("[dry run] " + description);
            return;
        }
        change();
    }

    public void WriteFile(string path, string content) =>
        Do($"write {path}:\n{content.TrimEnd()}", () =>
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, content);
        });

    // Owner-only before the secret goes in (on Windows the user's profile ACLs apply instead).
    public void WriteSecretFile(string path, Secret content) =>
        Do($"write {path} (0600: it holds secrets)", () =>
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, "");
            if (!OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            System.IO.File.WriteAllText(path, content.Value);
        });

    public void DeleteFile(string path) => Do($"delete {path}", () => System.IO.File.Delete(path));

    // git makes pack files read-only, which System.IO.Directory.Delete refuses on some systems. Links are
    // neither followed nor touched: a debootstrap tree's /var/run links to the machine's own /run.
    public void DeleteDirectory(string path) =>
        Do($"delete {path}", () =>
        {
            if (!System.IO.Directory.Exists(path))
            {
                return;
            }
            var ownFiles = new System.IO.EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = System.IO.FileAttributes.ReparsePoint };
            foreach (var file in System.IO.Directory.EnumerateFiles(path, "*", ownFiles))
            {
                System.IO.File.SetAttributes(file, System.IO.FileAttributes.Normal);
            }
            System.IO.Directory.Delete(path, recursive: true);
        });

    // A file or folder an earlier step makes: checked in a real run, assumed in a dry run (that step only planned it).
    public void RequirePath(string path, Func<Exception> missing)
    {
        if (!DryRun && !System.IO.File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            throw missing();
        }
    }

    // The one polling loop: asks attempt every interval until it answers true (done) or null (no use
    // waiting longer), or the time is up; true only when done. A dry run started nothing to wait for.
    public bool WaitUntil(string what, Func<bool?> attempt, TimeSpan timeout, TimeSpan interval)
    {
        if (DryRun)
        {
            log("[dry run] wait until " + what);
            return true;
        }
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = attempt();
            if (answer is not false)
            {
                return answer is true;
            }
            if (clock.Elapsed > timeout)
            {
                return false;
            }
            Thread.Sleep(interval);
        }
    }

    private CommandResult Execute(ShellCommand command, TimeSpan? timeout, Action<string>? onLine, bool redactOutput = true)
    {
        // Opened before the process starts: a missing script is an error, never a process waiting for its input.
        using var inputFile = command.InputFile is { } path ? System.IO.File.OpenRead(path) : null;
        var ownSession = command.FinishesWhenInterrupted && System.IO.File.Exists(Setsid);
        var info = new ProcessStartInfo(ownSession ? Setsid : command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory ?? System.Environment.CurrentDirectory,
        };
        if (ownSession)
        {
            info.ArgumentList.Add("--wait");
            info.ArgumentList.Add(command.Program);
        }
        foreach (var argument in command.ArgumentValues())
        {
            info.ArgumentList.Add(argument);
        }
        Process? started;
        try
        {
            started = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Not installed, or not executable: a failure like any other, which the caller explains.
            return new CommandResult(127, "", $"cannot start {command.Program}: {e.Message}");
        }
        using var process = started ?? throw new InvalidOperationException($"Could not start `{command}`.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            onLine?.Invoke(Redacted(e.Data));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (command.StandardInput is { } input)
            {
                process.StandardInput.Write(input.Value);
            }
            else if (inputFile is not null)
            {
                inputFile.CopyTo(process.StandardInput.BaseStream);
            }
            process.StandardInput.Close();
        }
        catch (System.IO.IOException)
        {
            // The process exited without reading its input; its exit code and stderr say why.
        }
        if (!WaitForExit(process, timeout, interruptible: !command.FinishesWhenInterrupted))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Interruption.ThrowIfRequested($"`{Redacted(command.ToString())}` was stopped");
            return new CommandResult(124, Redacted(stdout.ToString()), $"timed out after {timeout}: `{command}`");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, redactOutput ? Redacted(stdout.ToString()) : stdout.ToString(), Redacted(stderr.ToString()));
    }

    // False when the timeout ran out, or when the run was interrupted and the command may be cut short.
    private bool WaitForExit(Process process, TimeSpan? timeout, bool interruptible)
    {
        using var stop = interruptible ? CancellationTokenSource.CreateLinkedTokenSource(Interruption.Token) : new CancellationTokenSource();
        if (timeout is { } limit)
        {
            stop.CancelAfter(limit);
        }
        try
        {
            process.WaitForExitAsync(stop.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
