#nullable enable
using System.Diagnostics;
using System.Text;
using System.Threading;

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

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

// The one place that starts processes. No shell is involved: arguments go through
// ProcessStartInfo.ArgumentList, and the log shows the redacted form of the command.
public sealed class CommandRunner(Action<string> log, Func<string, string>? redact = null)
{
    public string? WorkingDirectory { get; init; }

    // --dryrun: log each command as it would run, start nothing, and report success with empty output.
    public bool DryRun { get; init; }

    // Runs the command, returns its output, and throws CommandFailedException on a non-zero exit.
    // onLine sees each output line as it arrives: how long steps show their progress.
    public CommandResult Run(ShellCommand command, bool quiet = false, Action<string>? onLine = null)
    {
        var result = TryRun(command, quiet, onLine: onLine);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(command, result with { StandardError = Redact(result.StandardError) });
        }
        return result;
    }

    // Runs the command and returns whatever it ended with; the caller decides what a failure means.
    public CommandResult TryRun(ShellCommand command, bool quiet = false, TimeSpan? timeout = null, Action<string>? onLine = null)
    {
        if (DryRun)
        {
            log("[dry run] " + command);
            return new CommandResult(0, "", "");
        }
        if (!quiet)
        {
            log("> " + command);
        }
        var info = new ProcessStartInfo(command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in command.ArgumentValues())
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start `{command}`.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (command.StandardInput is { } input)
        {
            process.StandardInput.Write(input.Value);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(124, stdout.ToString(), $"timed out after {timeout}: `{command}`");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    // The trimmed standard output of a command that only reads; placeholder stands in for it in a dry run.
    public string Read(ShellCommand command, string placeholder) =>
        DryRun ? placeholder : Run(command, quiet: true).StandardOutput.Trim();

    private string Redact(string text) => redact is null ? text : redact(text);
}
