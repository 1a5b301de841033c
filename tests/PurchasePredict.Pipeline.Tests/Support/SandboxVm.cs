using System.Net.Http.Headers;
using System.Text;

namespace PurchasePredict.Pipeline.Tests;

// One of the sandbox's VMs as the end-to-end tests reach it, the way Deploy does: ssh with the sandbox's
// key and known_hosts as the deploy user, then sudo. The tests' own probes are one-liners: sh -c with the
// arguments positional, as a builder would make them.
public sealed record SandboxVm(string Name, int SshPort, int ServicePort)
{
    public static readonly SandboxVm Vm1 = new("pp-vm1", 2201, 8081);
    public static readonly SandboxVm Vm2 = new("pp-vm2", 2202, 8082);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    // Runs a script as root on the VM and returns its standard output; a failure fails the test.
    public string Run(string script, params string[] arguments)
    {
        var result = TryRun(script, arguments);
        Assert.That(result.ExitCode, Is.Zero, $"{Name}: {script}: {result.StandardError}");
        return result.StandardOutput;
    }

    public CommandResult TryRun(string script, params string[] arguments) => Send(ShellCommand.Of("sh", ["-c", script, "sh", .. arguments]));

    // Writes a file on the VM as root with the given owner and mode, its folder made as docs/gcp.md makes it
    // (0755, root's); its content goes on stdin, never on a command line.
    public void Install(string path, string content, string owner, string mode)
    {
        var result = Send(ShellCommand.Of("sh", "-c", "install -d -m 0755 \"${1%/*}\" && umask 077 && cat > \"$1\" && chown \"$2\" \"$1\" && chmod \"$3\" \"$1\"", "sh", path, owner, mode)
            .WithStandardInput(new Secret(content)));
        Assert.That(result.ExitCode, Is.Zero, $"{Name}: install {path}: {result.StandardError}");
    }

    // The release the unit's container runs (image by digest), and when that container started.
    public string RunningImage() => Run("docker inspect --format '{{.Config.Image}}' purchase_predict_api").Trim();

    public string ServiceStartedAt() => Run("docker inspect --format '{{.State.StartedAt}}' purchase_predict_api").Trim();

    public string History() => Run("ls -1 /var/lib/purchase_predict_api/history 2>/dev/null || true");

    // The VM's service answers /predict with the demo request: its body.
    public async Task<string> PredictAsync()
    {
        using var content = new StringContent(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "models", "demo", "request.json")), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync($"http://127.0.0.1:{ServicePort}/predict", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{Name}: {body}");
        return body;
    }

    // The host entry of deploy.hosts for this VM alone, as --hosts takes it.
    public string HostsArgument(string metadataServer) =>
        $$"""--hosts=[{"name": "{{Name}}", "address": "127.0.0.1", "sshPort": {{SshPort}}, "servicePort": {{ServicePort}}, "metadataServer": "{{metadataServer}}"}]""";

    private CommandResult Send(ShellCommand probe)
    {
        // The sandbox's own key and known_hosts, in its home: one per machine, whichever checkout made them.
        var ssh = SandboxAccess.Paths.SandboxSsh;
        var target = new SshTarget("127.0.0.1", "deploy", SshPort, Path.Combine(ssh, "id_ed25519"), Path.Combine(ssh, "known_hosts"));
        return new CommandRunner(_ => { }).TryRun(Ssh.Run(target, Sudo.AsRoot("deploy", probe)), quiet: true, timeout: TimeSpan.FromMinutes(2));
    }

    // A command on this machine; a failure fails the test.
    public static string Local(string program, params string[] arguments) =>
        new CommandRunner(_ => { }).Run(ShellCommand.Of(program, arguments.Cast<object>().ToArray()), quiet: true).StandardOutput;
}
