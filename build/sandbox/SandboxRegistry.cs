#nullable enable
// The sandbox's private image registry, as Artifact Registry is one: Debian's docker-registry on
// 127.0.0.1, its data in the sandbox's home, behind its login service (gcp-sandbox registry-auth), which
// accepts `oauth2accesstoken` with a token of the sandbox's token endpoint and lets the pipeline's account
// push and the VMs' account pull. Both started detached, so they outlive the build (the VMs pull later).
public sealed class SandboxRegistry(CommandRunner runner, HostTools tools, BuildPaths paths, SandboxSettings settings, SandboxGcp gcp, Action<string> log)
{
    private string Home => System.IO.Path.Combine(paths.SandboxHome, "registry");

    private string ConfigFile => System.IO.Path.Combine(Home, "config.yml");

    private SandboxDaemon Registry => new(runner, "registry", System.IO.Path.Combine(Home, "registry.pid"), System.IO.Path.Combine(Home, "registry.log"));

    private SandboxDaemon Login => gcp.Daemon("registry-auth");

    // Up = /v2/ asks for a token of the sandbox's login service, as a private registry does. One that
    // answers otherwise (an open one an older checkout started) is replaced.
    public bool IsUp() =>
        LocalHttp.Get($"http://{settings.RegistryAddress}/v2/") is { Status: 401, Authenticate: { } challenge }
        && challenge.StartsWith($"Bearer realm=\"{settings.RegistryRealm}\"", StringComparison.Ordinal);

    public void EnsureUp()
    {
        EnsureLogin();
        if (IsUp())
        {
            log($"Registry: serving on {settings.RegistryAddress}, private (login: {settings.RegistryRealm}).");
            return;
        }
        var program = tools.Require("docker-registry", "docker-registry");
        runner.Do($"create {System.IO.Path.Combine(Home, "data")}", () => System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Home, "data")));
        runner.WriteFile(ConfigFile, RegistryConfig.Yaml(settings.RegistryAddress, System.IO.Path.Combine(Home, "data"), settings.RegistryRealm,
            System.IO.Path.Combine(paths.SandboxGcp, "registry-auth", "token-signer.crt")));
        Registry.Start(ShellCommand.Of(program, "serve", ConfigFile), IsUp, TimeSpan.FromSeconds(20));
    }

    public void Down()
    {
        Registry.Stop();
        Login.Stop();
        runner.DeleteDirectory(Home);
    }

    // Its login service first: it makes the signing key whose certificate the registry's configuration names.
    private void EnsureLogin()
    {
        var port = settings.RegistryAuthPort;
        if (LocalHttp.Get($"{settings.RegistryRealm}?service={Uri.EscapeDataString(settings.RegistryAddress)}") is { Status: 401 })
        {
            return;
        }
        Login.Start(GcpSandbox.RegistryAuth(gcp.Tool.Dll, paths.SandboxGcp, settings.TokenInfo, settings.RegistryAddress,
                SandboxAccounts.Email(SandboxAccounts.Vm), SandboxAccounts.Email(SandboxAccounts.Ci), port),
            () => Login.Logged(GcpSandbox.ReadyLine("registry-auth", port)), TimeSpan.FromSeconds(60));
    }
}
