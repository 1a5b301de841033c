#nullable enable
using System.Globalization;

// Per-VM files the SandboxVms task writes in the sandbox's home (vms/<name>/) and mounts into that VM.
public static class SandboxVmFiles
{
    public static string SshdPort(int port) => $"Port {port.ToString(CultureInfo.InvariantCulture)}\n";

    // Every VM shares the host's network, so each engine gets its own exec root, pid file and cgroup parent
    // on top of its own /var/lib/docker volume; with no bridge, iptables or masquerading there is nothing
    // else it binds (no TCP port: it listens only on its unix socket, in the VM's private /run).
    public static string DaemonJson(string vm) => $$"""
        {
          "bridge": "none",
          "iptables": false,
          "ip-masq": false,
          "data-root": "/var/lib/docker",
          "exec-root": "/run/docker-{{vm}}",
          "pidfile": "/run/docker-{{vm}}.pid",
          "cgroup-parent": "/{{vm}}-docker"
        }

        """;

    // One known_hosts line per VM: the sandbox's own host key, so ssh checks it strictly.
    public static string KnownHostsLine(string address, int sshPort, string hostPublicKey)
    {
        var parts = hostPublicKey.Trim().Split(' ');
        return $"[{address}]:{sshPort.ToString(CultureInfo.InvariantCulture)} {parts[0]} {parts[1]}\n";
    }
}
