#nullable enable
using System.Globalization;
using System.Text.Json;

// The sandbox's GCP project (docs/gcp.md): the token endpoint (oauth2.googleapis.com's stand-in), the key
// files of its two service accounts, and metadata servers: one for the machine running the pipeline
// (Push's application-default) and one per VM. Each service is started when it does not answer as it
// should, and left alone when it does, so a second run only checks (one local request each).
public sealed class SandboxGcp(CommandRunner runner, BuildPaths paths, SandboxSettings settings, Action<string> log)
{
    private const string Flavor = "Metadata-Flavor";

    private readonly GcpSandboxTool _tool = new(runner, paths);

    public GcpSandboxTool Tool => _tool;

    public void EnsureUp()
    {
        EnsureTokenEndpoint();
        EnsureKey(SandboxAccounts.Ci);
        EnsureKey(SandboxAccounts.Vm);
        EnsureMetadata("ci-metadata", SandboxAccounts.Ci, SandboxAccounts.CiScopes, settings.CiMetadataPort);
    }

    // A VM's own metadata server, holding the VMs' account's key, with the VMs' access scopes.
    public void EnsureVmMetadata(DeployHost host)
    {
        var port = host.MetadataServer is { } server && server.StartsWith("127.0.0.1:", StringComparison.Ordinal)
            && int.TryParse(server["127.0.0.1:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p
            : throw new InvalidOperationException(
                $"The sandbox's VM {host.Name} needs its own metadata server: give it \"metadataServer\": \"127.0.0.1:<port>\" in deploy.hosts.");
        EnsureMetadata(host.Name + "-metadata", SandboxAccounts.Vm, SandboxAccounts.VmScopes, port);
    }

    public void StopVmMetadata(DeployHost host) => Daemon(host.Name + "-metadata").Stop();

    // An access token of the pipeline's account, from its machine's metadata server (the bucket's upload):
    // a secret from the moment it arrives.
    public Secret CiToken()
    {
        var answer = LocalHttp.Get(MetadataUrl(settings.CiMetadataPort, "token"), (Flavor, "Google"));
        if (answer is not { Status: 200 })
        {
            throw new InvalidOperationException(
                $"No access token of {SandboxAccounts.Email(SandboxAccounts.Ci)} from the metadata server {settings.CiMetadataHost}: {answer?.Body.Trim() ?? "no answer"}.");
        }
        using var json = JsonDocument.Parse(answer.Body);
        var token = new Secret(json.RootElement.GetProperty("access_token").GetString()!);
        runner.Redact([token]);
        return token;
    }

    // Every stand-in the sandbox started (the registry's, the VMs' and the bucket's stop with them first).
    public void Down()
    {
        if (System.IO.Directory.Exists(paths.SandboxDaemons))
        {
            foreach (var pidFile in System.IO.Directory.GetFiles(paths.SandboxDaemons, "*.pid"))
            {
                Daemon(System.IO.Path.GetFileNameWithoutExtension(pidFile)).Stop();
            }
        }
    }

    public SandboxDaemon Daemon(string name) => new(runner, name, paths.SandboxDaemonFile(name, "pid"), paths.SandboxDaemonFile(name, "log"));

    private void EnsureTokenEndpoint()
    {
        if (LocalHttp.Get($"http://127.0.0.1:{settings.TokenPort}/") is not null)
        {
            log($"Token endpoint: serving on 127.0.0.1:{settings.TokenPort}.");
            return;
        }
        var daemon = Daemon("oauth");
        daemon.Start(GcpSandbox.OAuth(_tool.Dll, paths.SandboxGcp, settings.TokenPort),
            () => daemon.Logged(GcpSandbox.ReadyLine("oauth", settings.TokenPort)), TimeSpan.FromSeconds(60));
    }

    // A key file per account, made once; the token endpoint knows its public half at once.
    private void EnsureKey(string account)
    {
        var key = paths.SandboxKey(account);
        if (System.IO.File.Exists(key))
        {
            return;
        }
        runner.Do($"create {System.IO.Path.GetDirectoryName(key)} (0700)", () =>
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(key)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        runner.Run(GcpSandbox.CreateKey(_tool.Dll, paths.SandboxGcp, SandboxAccounts.Email(account), settings.TokenUri, key));
    }

    // Up when it answers as the account's metadata server (its email), with Google's flavor header.
    private void EnsureMetadata(string name, string account, string scopes, int port)
    {
        var email = SandboxAccounts.Email(account);
        var answer = LocalHttp.Get(MetadataUrl(port, "email"), (Flavor, "Google"));
        if (answer is { Status: 200, MetadataFlavor: "Google" } && answer.Body.Trim() == email)
        {
            log($"Metadata server {name}: serving {email} on 127.0.0.1:{port}.");
            return;
        }
        var daemon = Daemon(name);
        daemon.Start(GcpSandbox.Metadata(_tool.Dll, paths.SandboxKey(account), scopes, port),
            () => daemon.Logged(GcpSandbox.ReadyLine("metadata", port)), TimeSpan.FromSeconds(60));
    }

    private static string MetadataUrl(int port, string item) =>
        $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/computeMetadata/v1/instance/service-accounts/default/{item}";
}
