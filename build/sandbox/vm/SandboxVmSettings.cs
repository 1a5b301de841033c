#nullable enable
using System.Text.RegularExpressions;

// The sandbox's VMs, model bucket and MLflow ("deploy.sandbox" of ops/environments/sandbox.json). The VMs
// themselves are the environment's deploy hosts: each host name is a container name. Their ssh keys
// are the sandbox's own, made once per machine in its home (BuildPaths.SandboxSsh).
public sealed record SandboxVmSettings(
    string Suite,
    string Mirror,
    int StoragePort,
    string ModelFile,
    string Bucket,
    string ArtifactFolder,
    string MlflowHost,
    int MlflowPort,
    string SshDirectory)
{
    // What the VM image needs beyond minbase: systemd as init, sshd, sudo for the deploy user, docker,
    // curl for the health checks and the registry login Deploy runs there, dbus so systemctl can talk to systemd.
    public static readonly string[] Packages =
        ["systemd", "systemd-sysv", "dbus", "openssh-server", "sudo", "docker.io", "curl", "ca-certificates"];

    // The artifact folder MLflow's version 1 points at; the model file in it is model.lgb (MLflow's lightgbm flavour).
    public string ArtifactUri => $"gs://{Bucket}/{ArtifactFolder}";

    public string ModelObject => ArtifactFolder + "/model.lgb";

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
        var model = settings.Require("deploy.sandbox.modelFile");
        var modelFile = System.IO.Path.GetFullPath(model.Value, paths.Root);
        if (!System.IO.File.Exists(modelFile))
        {
            throw model.Invalid($"the file {modelFile} does not exist.");
        }
        var uri = settings.Require("deploy.sandbox.artifactUri");
        var match = Regex.Match(uri.Value, "^gs://([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])/([^/].*[^/])$");
        if (!match.Success)
        {
            throw uri.Invalid("expected gs://<bucket>/<folder>.");
        }
        var host = settings.Require("deploy.sandbox.mlflowHost");
        // A DNS name that /etc/hosts can map: labels of letters, digits and hyphens.
        if (!Regex.IsMatch(host.Value, "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"))
        {
            throw host.Invalid("expected a host name such as mlflow.sandbox.internal.");
        }
        return new SandboxVmSettings(suite.Value, mirror.Value, Port(settings, "deploy.sandbox.storagePort", section.StoragePort), modelFile,
            match.Groups[1].Value, match.Groups[2].Value, host.Value, Port(settings, "deploy.sandbox.mlflowPort", section.MlflowPort), paths.SandboxSsh);
    }

    private static int Port(Settings settings, string key, int? port) =>
        port is { } p ? (PortNumber.IsValid(p) ? p : throw settings.Get(key)!.Invalid("expected a port number.")) : throw settings.Missing(key);
}
