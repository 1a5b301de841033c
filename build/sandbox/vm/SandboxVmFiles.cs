#nullable enable
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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

    // The sandbox's known_hosts after bringing up hosts: one line per VM pinning the sandbox's own host key,
    // so ssh checks it strictly. Lines of VMs this run did not name stay (a Deploy to one VM must not make
    // the others unreachable), unless they pin another key (the host key was made anew).
    public static string KnownHosts(string? existing, IEnumerable<(string Address, int SshPort)> hosts, string hostPublicKey)
    {
        var parts = hostPublicKey.Trim().Split(' ');
        var key = $"{parts[0]} {parts[1]}";
        var ours = hosts.Select(h => $"[{h.Address}]:{h.SshPort.ToString(CultureInfo.InvariantCulture)}").ToList();
        var kept = (existing ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Split(' ', 2) is [var host, var rest] && rest == key && !ours.Contains(host));
        return string.Concat(kept.Concat(ours.Select(host => $"{host} {key}")).Select(line => line + "\n"));
    }
}
