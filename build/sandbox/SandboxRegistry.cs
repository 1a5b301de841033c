#nullable enable
using System.Net.Http;

// The sandbox's image registry: Debian's docker-registry on 127.0.0.1, its data in the sandbox's home,
// started detached so it outlives the build (Deploy's VMs pull from it later).
public sealed class SandboxRegistry(CommandRunner runner, HostTools tools, BuildPaths paths, SandboxSettings settings, Action<string> log)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private string Home => System.IO.Path.Combine(paths.SandboxHome, "registry");

    private string ConfigFile => System.IO.Path.Combine(Home, "config.yml");

    private string PidFile => System.IO.Path.Combine(Home, "registry.pid");

    private string LogFile => System.IO.Path.Combine(Home, "registry.log");

    // The registry API's version check: 200 from /v2/ means it serves. Read-only and on 127.0.0.1: a dry run asks too.
    public bool IsUp()
    {
        try
        {
            using var response = Http.GetAsync($"http://{settings.RegistryAddress}/v2/").GetAwaiter().GetResult();
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
        runner.Do($"create {System.IO.Path.Combine(Home, "data")}", () => System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Home, "data")));
        runner.WriteFile(ConfigFile, Config(settings.RegistryAddress, System.IO.Path.Combine(Home, "data")));
        runner.Run(Daemon.Start(PidFile, LogFile, program, ["serve", ConfigFile]));
        if (!runner.WaitUntil($"the registry answers on {settings.RegistryAddress}", () => IsUp(), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250)))
        {
            throw new InvalidOperationException($"The registry did not answer on {settings.RegistryAddress} within 20 s; see {LogFile}.");
        }
    }

    public void Down()
    {
        if (System.IO.File.Exists(PidFile))
        {
            runner.Run(Daemon.Stop(PidFile));
        }
        runner.DeleteDirectory(Home);
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
