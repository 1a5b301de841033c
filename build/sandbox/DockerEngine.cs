#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
// Makes sure a Docker engine answers: the one already running, or dockerd started here (detached,
// with the sandbox's arguments: this machine's engine has no bridge network).
public sealed class DockerEngine(CommandRunner runner, CommandRunner probe, HostTools tools, BuildPaths paths, SandboxSettings settings, Action<string> log)
{
    private string PidFile => System.IO.Path.Combine(paths.Sandbox, "dockerd.pid");

    private string LogFile => System.IO.Path.Combine(paths.Sandbox, "dockerd.log");

    // A read-only check: runs even in a dry run, so the plan shows only what would really happen.
    public bool IsUp() => probe.TryRun(Docker.ServerVersion(), quiet: true).ExitCode == 0;

    public void EnsureUp()
    {
        if (IsUp())
        {
            log("Docker engine: running.");
            return;
        }
        tools.Require("docker", "docker.io");
        var dockerd = tools.Require("dockerd", "docker.io");
        System.IO.Directory.CreateDirectory(paths.Sandbox);
        runner.Run(Daemon.Start(PidFile, LogFile, dockerd, settings.DockerdArguments));
        if (!runner.DryRun && !HostTools.WaitFor(IsUp, TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"dockerd did not answer within 60 s; see {LogFile}.");
        }
        if (!runner.DryRun) log("Docker engine: started.");
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
