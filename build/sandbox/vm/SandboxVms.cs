#nullable enable
using System.IO;
using System.Linq;

// Brings up the sandbox environment's VMs (one container per deploy host), their ssh keys and the
// model bucket. Idempotent: a VM that runs the current image is left alone, so a second run is quick.
public sealed class SandboxVms(CommandRunner runner, string root, DeploySettings deploy, SandboxVmSettings settings, Action<string> log)
{
    private string Directory => System.IO.Path.Combine(root, "artifacts", "sandbox");

    private string SshDirectory => System.IO.Path.Combine(Directory, "ssh");

    // The key Deploy uses for the sandbox (deploy.sshKey) and the known_hosts file (deploy.sshKnownHosts).
    public string ClientKey => System.IO.Path.Combine(SshDirectory, "id_ed25519");

    public string KnownHosts => System.IO.Path.Combine(SshDirectory, "known_hosts");

    public void Up()
    {
        if (runner.DryRun)
        {
            log($"Would make sure VMs {string.Join(", ", deploy.Hosts.Select(h => h.Name))} run the sandbox VM image, with keys in {SshDirectory}, " +
                $"and the storage emulator on 127.0.0.1:{settings.StoragePort} holds {settings.ModelUri}.");
            return;
        }
        EnsureKey(ClientKey, "purchase-predict sandbox deploy key");
        EnsureKey(System.IO.Path.Combine(SshDirectory, "host_ed25519_key"), "purchase-predict sandbox VM host key");
        var image = new VmImage(runner, root, Directory, settings, log).EnsureBuilt();
        foreach (var host in deploy.Hosts)
        {
            EnsureVm(host, image);
        }
        var hostKey = System.IO.File.ReadAllText(System.IO.Path.Combine(SshDirectory, "host_ed25519_key.pub"));
        System.IO.File.WriteAllText(KnownHosts, string.Concat(deploy.Hosts.Select(h => SandboxVmFiles.KnownHostsLine(h.Address, h.SshPort ?? 22, hostKey))));
        foreach (var host in deploy.Hosts)
        {
            WaitUntilReady(host);
        }
        new SandboxStorage(runner, root, Directory, settings, log).EnsureUp();
    }

    public void Down()
    {
        foreach (var host in deploy.Hosts)
        {
            runner.TryRun(DockerContainer.Remove(host.Name));
            runner.TryRun(DockerContainer.RemoveVolume(VmContainer.Volume(host.Name)));
        }
        new SandboxStorage(runner, root, Directory, settings, log).Down();
        ImageCleanup.RemoveAll(runner, runner, VmImage.Repository);
    }

    private void EnsureKey(string path, string comment)
    {
        if (!System.IO.File.Exists(path))
        {
            System.IO.Directory.CreateDirectory(SshDirectory);
            runner.Run(ShellCommand.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path));
        }
    }

    private void EnsureVm(DeployHost host, string image)
    {
        // The label pins how the VM was made: image, mounts and the checkout whose keys it trusts. The VMs
        // use fixed ports, so another checkout (an end-to-end test's copy, say) takes them over.
        var files = System.IO.Path.Combine(Directory, "vms", host.Name);
        var label = image + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(VmContainer.Run(host.Name, image, "", files, SshDirectory).ToString())))[..16];
        var state = runner.TryRun(DockerContainer.Inspect(host.Name, "{{.State.Running}} {{index .Config.Labels \"" + VmContainer.ImageLabel + "\"}}"), quiet: true);
        if (state.ExitCode == 0 && state.StandardOutput.Trim() == "true " + label)
        {
            log($"VM {host.Name}: running.");
            return;
        }
        if (state.ExitCode == 0 && state.StandardOutput.Trim() == "false " + label)
        {
            runner.Run(DockerContainer.Start(host.Name));
            return;
        }
        if (state.ExitCode == 0)
        {
            // Another checkout's deploy may be running on it right now: never pull the VM from under it.
            var holder = runner.TryRun(DockerContainer.Exec(host.Name, "cat", DeployLock.Path + "/holder"), quiet: true);
            if (holder.ExitCode == 0)
            {
                throw new InvalidOperationException(
                    $"VM {host.Name} was made from another image or checkout, and a deploy holds its lock: {holder.StandardOutput.Trim()}. " +
                    "Wait for it, or run SandboxVmsDown from that checkout.");
            }
            log($"VM {host.Name}: made from another image or checkout; recreating it.");
            runner.Run(DockerContainer.Remove(host.Name));
        }
        System.IO.Directory.CreateDirectory(files);
        System.IO.File.WriteAllText(System.IO.Path.Combine(files, "port.conf"), SandboxVmFiles.SshdPort(host.SshPort ?? 22));
        System.IO.File.WriteAllText(System.IO.Path.Combine(files, "daemon.json"), SandboxVmFiles.DaemonJson(host.Name));
        runner.Run(VmContainer.Run(host.Name, image, label, files, SshDirectory));
    }

    // Ready = sshd lets the deploy user in and the VM's Docker engine answers.
    private void WaitUntilReady(DeployHost host)
    {
        var remote = new RemoteHost(host, deploy.TargetFor(host) with { KeyFile = ClientKey, KnownHostsFile = KnownHosts }, runner, text => text, log);
        bool Ready()
        {
            try
            {
                return remote.TryRun(ShellCommand.Of("docker", "info", "--format", "{{.ServerVersion}}"), quiet: true).ExitCode == 0;
            }
            catch (HostUnreachableException)
            {
                return false;
            }
        }
        if (!HostTools.WaitFor(Ready, TimeSpan.FromSeconds(90)))
        {
            throw new InvalidOperationException($"VM {host.Name}: no ssh login with a running Docker engine after 90 s (docker logs {host.Name}).");
        }
        log($"VM {host.Name}: ready ({remote.Target}).");
    }
}
