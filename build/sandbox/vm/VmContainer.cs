#nullable enable
using System.Globalization;
using System.Linq;

// A sandbox "VM": a container booting systemd, sharing the host network (its sshd and service ports
// are its own), with a private Docker engine whose images live in a volume. The capabilities and mounts
// are the recipe that boots systemd on this machine (--privileged does not work here).
public static class VmContainer
{
    public const string ImageLabel = "purchase-predict.sandbox-vm";

    // internalHosts: names the VM resolves to 127.0.0.1, as GCP's internal DNS resolves a VM's (the MLflow VM's).
    public static ShellCommand Run(string name, string image, string label, string filesDirectory, string sshDirectory, IEnumerable<string> internalHosts) =>
        ShellCommand.Of("docker", new[]
        {
            "run", "--detach", "--name", name, "--label", ImageLabel + "=" + label,
            "--network", "host", "--cgroupns", "host",
            // Its own name, resolvable, so sudo doesn't warn on every call.
            "--hostname", name, "--add-host", name + ":127.0.1.1",
        }.Concat(internalHosts.SelectMany(host => new[] { "--add-host", host + ":127.0.0.1" })).Concat(new[]
        {
            "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--cap-add", "SYS_PTRACE", "--cap-add", "MKNOD",
            "--cap-add", "AUDIT_WRITE", "--cap-add", "SYS_CHROOT",
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--volume", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
            "--volume", Volume(name) + ":/var/lib/docker",
            "--volume", filesDirectory + "/port.conf:/etc/ssh/sandbox/port.conf:ro",
            "--volume", filesDirectory + "/daemon.json:/etc/docker/daemon.json:ro",
            "--volume", sshDirectory + "/host_ed25519_key:/etc/ssh/sandbox/host_ed25519_key:ro",
            "--volume", sshDirectory + "/id_ed25519.pub:/home/deploy/.ssh/authorized_keys:ro",
            image,
        }).Cast<object>().ToArray());

    public static string Volume(string name) => name + "-docker";
}
