#nullable enable
using System.Text.RegularExpressions;

// The sandbox's VMs and model bucket ("deploy.sandbox" of ops/environments/sandbox.json). The VMs
// themselves are the environment's deploy hosts: each host name is a container name. Their ssh keys
// are the sandbox's own, made once per machine in its home (BuildPaths.SandboxSsh).
public sealed record SandboxVmSettings(
    string Suite,
    string Mirror,
    int StoragePort,
    string ModelFile,
    string Bucket,
    string ModelObject,
    string SshDirectory)
{
    // What the VM image needs beyond minbase: systemd as init, sshd, sudo for the deploy user, docker,
    // curl for the health checks Deploy runs there, dbus so systemctl can talk to systemd.
    public static readonly string[] Packages =
        ["systemd", "systemd-sysv", "dbus", "openssh-server", "sudo", "docker.io", "curl", "ca-certificates"];

    public string ModelUri => $"gs://{Bucket}/{ModelObject}";

    // The key Deploy logs in with, and the known_hosts that pins the VMs' host key.
    public string ClientKey => System.IO.Path.Combine(SshDirectory, "id_ed25519");

    public string KnownHosts => System.IO.Path.Combine(SshDirectory, "known_hosts");

    public string HostKey => System.IO.Path.Combine(SshDirectory, "host_ed25519_key");

    public static SandboxVmSettings? From(Settings settings, BuildPaths paths)
    {
        if (settings.File.Deploy?.Sandbox is not { } section)
        {
            return null;
        }
        var suite = settings.Require("sandbox.suite");
        var mirror = settings.Require("sandbox.mirror");
        var port = section.StoragePort is { } p
            ? (PortNumber.IsValid(p) ? p : throw settings.Get("deploy.sandbox.storagePort")!.Invalid("expected a port number."))
            : throw settings.Missing("deploy.sandbox.storagePort");
        var model = settings.Require("deploy.sandbox.modelFile");
        var modelFile = System.IO.Path.GetFullPath(model.Value, paths.Root);
        if (!System.IO.File.Exists(modelFile))
        {
            throw model.Invalid($"the file {modelFile} does not exist.");
        }
        var uri = settings.Require("deploy.sandbox.modelUri");
        var match = Regex.Match(uri.Value, "^gs://([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])/(.+)$");
        if (!match.Success)
        {
            throw uri.Invalid("expected gs://<bucket>/<object>.");
        }
        return new SandboxVmSettings(suite.Value, mirror.Value, port, modelFile, match.Groups[1].Value, match.Groups[2].Value, paths.SandboxSsh);
    }
}
