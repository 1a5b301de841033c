#nullable enable
using System.Linq;

// Brings up the sandbox environment's VMs (one container per deploy host), their ssh keys, and what
// they use of the GCP project: a metadata server each (the VMs' service account), the private model
// bucket, and MLflow. Idempotent: a VM that runs the current image is left alone, so a second run is quick.
// Keys and per-VM files live in the sandbox's home, one per machine: a Deploy from another checkout
// finds the same VMs and needs no new ones.
public sealed class SandboxVms(CommandRunner runner, BuildPaths paths, SandboxSettings sandbox, DeploySettings deploy, SshConnections ssh, Action<string> log)
{
    private SandboxVmSettings Settings => deploy.Sandbox!;

    public void Up()
    {
        var gcp = new SandboxGcp(runner, paths, sandbox, log);
        gcp.EnsureUp();
        foreach (var host in deploy.Hosts)
        {
            gcp.EnsureVmMetadata(host);
        }
        new SandboxStorage(runner, paths, sandbox, Settings, gcp, log).EnsureUp();
        new SandboxMlflow(runner, paths, Settings, gcp, log).EnsureUp(deploy.Env.GetValueOrDefault("MLFLOW_REGISTRY_NAME"), deploy.Env.GetValueOrDefault("ENV"));
        EnsureKey(Settings.ClientKey, "purchase-predict sandbox deploy key");
        EnsureKey(Settings.HostKey, "purchase-predict sandbox VM host key");
        var image = new VmImage(runner, paths, Settings, log).EnsureBuilt();
        foreach (var host in deploy.Hosts)
        {
            EnsureVm(host, image);
        }
        runner.Do($"write {Settings.KnownHosts}", () => System.IO.File.WriteAllText(Settings.KnownHosts, SandboxVmFiles.KnownHosts(
            System.IO.File.Exists(Settings.KnownHosts) ? System.IO.File.ReadAllText(Settings.KnownHosts) : null,
            deploy.Hosts.Select(h => (h.Address, h.SshPort ?? 22)), System.IO.File.ReadAllText(Settings.HostKey + ".pub"))));
        foreach (var host in deploy.Hosts)
        {
            WaitUntilReady(host);
        }
    }

    public void Down()
    {
        foreach (var host in deploy.Hosts)
        {
            runner.TryRun(DockerContainer.Remove(host.Name));
            runner.TryRun(DockerContainer.RemoveVolume(VmContainer.Volume(host.Name)));
        }
        var gcp = new SandboxGcp(runner, paths, sandbox, log);
        foreach (var host in deploy.Hosts)
        {
            gcp.StopVmMetadata(host);
        }
        new SandboxStorage(runner, paths, sandbox, Settings, gcp, log).Down();
        new SandboxMlflow(runner, paths, Settings, gcp, log).Down();
        ImageCleanup.RemoveAll(runner, VmImage.Repository);
    }

    private void EnsureKey(string path, string comment)
    {
        if (!System.IO.File.Exists(path))
        {
            runner.Do($"create {Settings.SshDirectory}", () => System.IO.Directory.CreateDirectory(Settings.SshDirectory));
            runner.Run(SshKeygen.Create(path, comment));
        }
    }

    private void EnsureVm(DeployHost host, string image)
    {
        // The label pins how the VM was made: image and mounts. Keys and files are the machine's, so
        // every checkout computes the same label and finds its VMs as they are.
        var files = System.IO.Path.Combine(paths.SandboxHome, "vms", host.Name);
        var label = image + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(VmContainer.Run(host.Name, image, "", files, Settings.SshDirectory, [Settings.MlflowHost]).ToString())))[..16];
        var state = runner.Query(DockerContainer.Inspect(host.Name, "{{.State.Running}} {{index .Config.Labels \"" + VmContainer.ImageLabel + "\"}}"));
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
            // A deploy may be running on it right now: never pull the VM from under it.
            foreach (var lockDirectory in new[] { ServiceLayout.RolloutLockDirectory, ServiceLayout.LockDirectory })
            {
                var holder = runner.Query(DockerContainer.Exec(host.Name, "cat", lockDirectory + "/holder"));
                if (holder.ExitCode == 0)
                {
                    throw new InvalidOperationException(
                        $"VM {host.Name} was made from another image, and a deploy holds its lock {lockDirectory}: {holder.StandardOutput.Trim()}. " +
                        "Wait for it, or run SandboxVmsDown.");
                }
            }
            log($"VM {host.Name}: made from another image; recreating it.");
            runner.Run(DockerContainer.Remove(host.Name));
        }
        runner.WriteFile(System.IO.Path.Combine(files, "port.conf"), SandboxVmFiles.SshdPort(host.SshPort ?? 22));
        runner.WriteFile(System.IO.Path.Combine(files, "daemon.json"), SandboxVmFiles.DaemonJson(host.Name));
        runner.Run(VmContainer.Run(host.Name, image, label, files, Settings.SshDirectory, [Settings.MlflowHost]));
    }

    // Ready = sshd lets the deploy user in and the VM's Docker engine answers.
    private void WaitUntilReady(DeployHost host)
    {
        var vm = new Vm(host, ssh.Share(deploy.TargetFor(host)), runner);
        var ready = runner.WaitUntil($"VM {host.Name} lets {vm.Target} in and its Docker engine answers", () =>
        {
            try
            {
                return vm.TryRun(Docker.ServerVersion(), quiet: true).ExitCode == 0;
            }
            catch (HostUnreachableException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        if (!ready)
        {
            throw new InvalidOperationException($"VM {host.Name}: no ssh login with a running Docker engine after 90 s (docker logs {host.Name}).");
        }
        log($"VM {host.Name}: ready ({vm.Target}).");
    }
}
