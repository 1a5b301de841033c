using System.Diagnostics;

namespace PurchasePredict.Pipeline.Tests;

// One ./build.sh run: what it printed, how it ended, how long it took.
public sealed record PipelineRun(int ExitCode, string Output, TimeSpan Duration)
{
    public override string ToString() => $"exit {ExitCode} after {Duration.TotalSeconds:F0} s:\n{Output}";
}

// A throwaway copy of this repository as a git repository of its own (branches main and staging),
// so end-to-end tests run the real ./build.sh against a real clone source without touching the
// developer's working tree or artifacts/. It starts with no artifacts/, like a fresh clone.
public sealed class PipelineWorkspace : IDisposable
{
    private PipelineWorkspace(string directory) => Folder = directory;

    public string Folder { get; }

    public string Artifacts => Path.Combine(Folder, "artifacts");

    // Copies the repository's files as git sees them (tracked plus untracked-but-not-ignored: the
    // working state, without bin/, obj/ or artifacts/), commits them on main and branches staging.
    public static PipelineWorkspace CopyOfRepository()
    {
        var root = RepositoryRoot.Find();
        var workspace = new PipelineWorkspace(Directory.CreateTempSubdirectory("pipeline-e2e-").FullName);
        try
        {
            workspace.Fill(root);
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    // A fresh `git clone` of origin into a new temporary folder named after name: another copy of the
    // same commits, whose origin remote is origin's folder.
    public static PipelineWorkspace CloneOf(PipelineWorkspace origin, string name)
    {
        var workspace = new PipelineWorkspace(Directory.CreateTempSubdirectory($"pipeline-{name}-").FullName);
        RunGit(workspace.Folder, "clone", "--quiet", origin.Folder, ".");
        return workspace;
    }

    private void Fill(string root)
    {
        var files = RunGit(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.Where(f => File.Exists(Path.Combine(root, f))))
        {
            var target = Path.Combine(Folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(root, file), target);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(Path.Combine(root, file)));
            }
        }
        Git("init", "--quiet", "--initial-branch=main");
        Commit("Copy of the repository under test");
        Git("branch", "staging");
    }

    public void Commit(string message)
    {
        Git("add", "--all");
        Git("-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "--quiet", "--no-verify", "--message", message);
    }

    public string Git(params string[] arguments) => RunGit(Folder, arguments);

    public PipelineRun Run(IReadOnlyDictionary<string, string>? variables = null, params string[] arguments) =>
        Start(Path.Combine(Folder, "build.sh"), arguments, variables);

    // ./build.sh in the background, in a process group of its own, to be signalled and followed as it runs.
    public BackgroundRun Launch(IReadOnlyDictionary<string, string>? variables = null, params string[] arguments) =>
        new(Folder, arguments, variables);

    // The same arguments through build.ps1, under the PowerShell that .config/dotnet-tools.json pins.
    public PipelineRun RunPowerShell(IReadOnlyDictionary<string, string>? variables = null, params string[] arguments) =>
        Start("dotnet", ["pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(Folder, "build.ps1"), .. arguments], variables);

    // Any program in the workspace, e.g. `strace ... ./build.sh` or `dotnet tool restore`.
    public PipelineRun Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? variables = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // Plain output: no colours to strip, and Cake's progress is line by line.
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in variables ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A bound for a hung run, not a performance check: a first run on a loaded 2-core machine
        // (an empty NuGet cache, the clone's tests, a ready-to-run publish) took over 15 minutes.
        if (!process.WaitForExit(TimeSpan.FromMinutes(40)))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        var run = new PipelineRun(process.ExitCode, output.ToString(), clock.Elapsed);
        TestContext.Progress.WriteLine($"{Path.GetFileName(program)} {string.Join(' ', info.ArgumentList)}: exit {run.ExitCode} in {run.Duration.TotalSeconds:F1} s");
        return run;
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private static string RunGit(string directory, params string[] arguments)
    {
        var result = new CommandRunner(_ => { }) { WorkingDirectory = directory }
            .Run(ShellCommand.Of("git", arguments.Cast<object>().ToArray()), quiet: true);
        return result.StandardOutput;
    }
}
