using System.Diagnostics;

namespace PurchasePredict.Pipeline.Tests;

// A ./build.sh run going on in the background, in a session and process group of its own (setsid), so a
// test can signal it the way a terminal's Ctrl-C does (the whole group) or a CI runner's cancel does (the
// process), and can follow its output line by line as it comes, each line with the time it came.
public sealed class BackgroundRun : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(DateTime At, string Line)> _lines = [];

    public BackgroundRun(string folder, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? variables)
    {
        // env execs setsid, which execs ./build.sh, which execs Cake: one process, leading its own group, whose pid
        // is the group's id. SIGINT, SIGTERM and SIGHUP at their defaults, as in a terminal: a test run started in
        // the background by a non-interactive shell hands its children SIGINT ignored, which no handler takes back.
        var info = new ProcessStartInfo("env")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT,TERM,HUP");
        info.ArgumentList.Add("setsid");
        info.ArgumentList.Add(Path.Combine(folder, "build.sh"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in variables ?? new Dictionary<string, string>()) info.Environment[name] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    // When the process ended (UTC, like the lines' times, so two runs compare); null until WaitForExit.
    public DateTime? ExitedAt { get; private set; }

    public IReadOnlyList<(DateTime At, string Line)> Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    // The time of the first line holding text, once it has come (null: the run ended or time ran out first).
    public DateTime? WaitForLine(string text, TimeSpan timeout)
    {
        var deadline = _clock.Elapsed + timeout;
        while (_clock.Elapsed < deadline)
        {
            if (Lines.FirstOrDefault(l => l.Line.Contains(text, StringComparison.Ordinal)) is { Line: not null } found) return found.At;
            if (_process.HasExited) return null;
            Thread.Sleep(50);
        }
        return null;
    }

    // kill -<signal> <pid>, or -<pid>: the whole process group, as a terminal's Ctrl-C.
    public void Signal(string signal, bool wholeGroup)
    {
        var target = (wholeGroup ? "-" : "") + Pid;
        new CommandRunner(_ => { }).Run(ShellCommand.Of("kill", "-" + signal, "--", target), quiet: true);
    }

    public PipelineRun WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"./build.sh still ran after {timeout.TotalSeconds:F0} s:\n{Output}");
        }
        _process.WaitForExit();
        ExitedAt ??= DateTime.UtcNow;
        TestContext.Progress.WriteLine($"background build.sh: exit {_process.ExitCode} after {_clock.Elapsed.TotalSeconds:F1} s");
        return new PipelineRun(_process.ExitCode, Output, _clock.Elapsed);
    }

    public string Output => string.Join("\n", Lines.Select(l => l.Line)) + "\n";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add((DateTime.UtcNow, line));
    }
}
