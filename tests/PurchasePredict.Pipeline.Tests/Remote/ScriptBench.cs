namespace PurchasePredict.Pipeline.Tests;

// A scratch folder to run one script of build/remote/ with a real sh: files under Folder, and fake
// programs (systemctl, docker, curl, ...) in front of PATH that record how they were called in Calls
// and answer what the test scripted. Each test makes its own and disposes it.
public sealed class ScriptBench : IDisposable
{
    private readonly string _bin;
    private readonly string _calls;

    public ScriptBench()
    {
        Folder = Directory.CreateTempSubdirectory("remote-script-").FullName;
        _bin = Path.Combine(Folder, "bin");
        Directory.CreateDirectory(_bin);
        _calls = Path.Combine(Folder, "calls.log");
        File.WriteAllText(_calls, "");
    }

    public string Folder { get; }

    public string this[string relative] => Path.Combine(Folder, relative);

    // Every call of a fake program, "name arg1 arg2 ...", in order.
    public IReadOnlyList<string> Calls => File.ReadAllLines(_calls);

    // A fake program: logs its call, then runs body (sh, with "$*" the arguments).
    public void Fake(string program, string body = "")
    {
        var path = Path.Combine(_bin, program);
        File.WriteAllText(path, $"#!/bin/sh\necho \"{program} $*\" >> '{_calls}'\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Write(string relative, string content)
    {
        var path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    // Runs build/remote/<script> under sh with the given arguments, the way a VM does (sh -s -- ARGS < script).
    public CommandResult Run(string script, params string[] arguments)
    {
        var command = ShellCommand.Of("env", ["PATH=" + _bin + ":" + System.Environment.GetEnvironmentVariable("PATH"), "sh", "-s", "--", .. arguments])
            .WithInputFile(DeployTestData.Paths.RemoteScript(script));
        return new CommandRunner(_ => { }) { WorkingDirectory = Folder }.TryRun(command, quiet: true, timeout: TimeSpan.FromSeconds(30));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
