using System.Diagnostics;

namespace PurchasePredict.Pipeline.Tests.EndToEnd;

// One ./build.sh run: what it printed, how it ended, how long it took.
public sealed record PipelineRun(int ExitCode, string Output, TimeSpan Duration)
{
    public override string ToString() => $"exit {ExitCode} after {Duration.TotalSeconds:F0} s:\n{Output}";
}

// A throwaway copy of this repository as a git repository of its own (branches main and staging),
// so end-to-end tests run the real ./build.sh against a real clone source without touching the
// developer's working tree or artifacts/.
public sealed class PipelineWorkspace : IDisposable
{
    private PipelineWorkspace(string directory) => Folder = directory;

    public string Folder { get; }

    public string Artifacts => Path.Combine(Folder, "artifacts");

    // The repository these tests belong to: the folder holding build.sh.
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "build.sh")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("No build.sh above " + TestContext.CurrentContext.TestDirectory);
    }

    // Copies the repository's files as git sees them (tracked plus untracked-but-not-ignored: the
    // working state, without bin/, obj/ or artifacts/), commits them on main and branches staging.
    public static PipelineWorkspace CopyOfRepository()
    {
        var root = RepositoryRoot();
        var workspace = new PipelineWorkspace(System.IO.Directory.CreateTempSubdirectory("pipeline-e2e-").FullName);
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

    private void Fill(string root)
    {
        var files = RunGit(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.Where(f => File.Exists(Path.Combine(root, f))))
        {
            var target = Path.Combine(Folder, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
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
        RunBuild(Folder, variables, arguments);

    // Brings the shared sandbox up from the repository itself, so that the registry's data lives in
    // its artifacts/ (where Deploy's tests and developers find it), not in a workspace deleted afterwards.
    public static void EnsureSandbox()
    {
        var run = RunBuild(RepositoryRoot(), null, ["--target=Sandbox"]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    private static PipelineRun RunBuild(string folder, IReadOnlyDictionary<string, string>? variables, string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(folder, "build.sh"))
        {
            WorkingDirectory = folder,
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
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        var run = new PipelineRun(process.ExitCode, output.ToString(), clock.Elapsed);
        TestContext.Progress.WriteLine($"./build.sh {string.Join(' ', arguments)}: exit {run.ExitCode} in {run.Duration.TotalSeconds:F1} s");
        return run;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Folder))
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
    }

    private static string RunGit(string directory, params string[] arguments)
    {
        var result = new CommandRunner(_ => { }) { WorkingDirectory = directory }
            .Run(ShellCommand.Of("git", arguments.Cast<object>().ToArray()), quiet: true);
        return result.StandardOutput;
    }
}
