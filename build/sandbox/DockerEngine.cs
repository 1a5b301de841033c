#nullable enable
// Makes sure a Docker engine answers: the one already running, or dockerd started here (detached,
// with the sandbox's arguments: this machine's engine has no bridge network).
public sealed class DockerEngine(CommandRunner runner, HostTools tools, BuildPaths paths, SandboxSettings settings, Action<string> log)
{
    private string PidFile => System.IO.Path.Combine(paths.SandboxHome, "dockerd.pid");

    private string LogFile => System.IO.Path.Combine(paths.SandboxHome, "dockerd.log");

    public bool IsUp() => runner.Query(Docker.ServerVersion()).ExitCode == 0;

    public void EnsureUp()
    {
        if (IsUp())
        {
            log("Docker engine: running.");
            return;
        }
        tools.Require("docker", "docker.io");
        var dockerd = tools.Require("dockerd", "docker.io");
        runner.Do($"create {paths.SandboxHome}", () => System.IO.Directory.CreateDirectory(paths.SandboxHome));
        runner.Run(Daemon.Start(PidFile, LogFile, dockerd, settings.DockerdArguments));
        if (!runner.WaitUntil("dockerd answers", () => IsUp(), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250)))
        {
            throw new InvalidOperationException($"dockerd did not answer within 60 s; see {LogFile}.");
        }
    }

    // Stops dockerd only if the sandbox started it: an engine someone else runs is theirs.
    public void Down()
    {
        if (System.IO.File.Exists(PidFile))
        {
            runner.Run(Daemon.Stop(PidFile));
        }
    }
}
