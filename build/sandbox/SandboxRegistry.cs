#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;

// The sandbox's image registry: Debian's docker-registry on 127.0.0.1, data under artifacts/sandbox/registry,
// started detached so it outlives the build (Deploy's VMs pull from it later).
public sealed class SandboxRegistry(CommandRunner runner, HostTools tools, BuildPaths paths, SandboxSettings settings, Action<string> log)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private string Home => System.IO.Path.Combine(paths.Sandbox, "registry");

    private string ConfigFile => System.IO.Path.Combine(Home, "config.yml");

    private string PidFile => System.IO.Path.Combine(Home, "registry.pid");

    private string LogFile => System.IO.Path.Combine(Home, "registry.log");

    public Uri BaseAddress => new($"http://{settings.RegistryAddress}/");

    // The registry API's version check: 200 from /v2/ means it serves. Read-only: runs in a dry run too.
    public bool IsUp()
    {
        try
        {
            using var response = Http.GetAsync(new Uri(BaseAddress, "v2/")).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public void EnsureUp()
    {
        if (IsUp())
        {
            log($"Registry: serving on {settings.RegistryAddress}.");
            return;
        }
        var program = tools.Require("docker-registry", "docker-registry");
        if (!runner.DryRun)
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Home, "data"));
            System.IO.File.WriteAllText(ConfigFile, Config(settings.RegistryAddress, System.IO.Path.Combine(Home, "data")));
        }
        runner.Run(Daemon.Start(PidFile, LogFile, program, ["serve", ConfigFile]));
        if (!runner.DryRun && !HostTools.WaitFor(IsUp, TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException($"The registry did not answer on {settings.RegistryAddress} within 20 s; see {LogFile}.");
        }
        if (!runner.DryRun) log($"Registry: started on {settings.RegistryAddress}.");
    }

    public void Down()
    {
        if (System.IO.File.Exists(PidFile))
        {
            runner.Run(Daemon.Stop(PidFile));
        }
        if (runner.DryRun)
        {
            log($"[dry run] delete {Home}");
        }
        else if (System.IO.Directory.Exists(Home))
        {
            System.IO.Directory.Delete(Home, recursive: true);
        }
    }

    // docker-registry's configuration: filesystem storage, deletes allowed (SandboxDown, tests), loopback only.
    public static string Config(string address, string dataDirectory) => $"""
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: {dataDirectory}
          delete:
            enabled: true
        http:
          addr: {address}
        """;
}
