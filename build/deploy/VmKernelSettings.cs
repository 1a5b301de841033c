#nullable enable
using System.Globalization;

// The kernel settings a VM needs for the zero-downtime switch-over (docs/deploy.md), as sysctl NAME=VALUE:
// Deploy writes them to ServiceLayout.SysctlFile and applies them (kernel-settings.sh) before the release
// is proven. On the sandbox the VMs share this machine's network namespace, so there they are the machine's.
public static class VmKernelSettings
{
    // Linux's default: ports below it are root's.
    private const int FirstUnprivilegedPort = 1024;

    public static IReadOnlyList<string> For(DeployHost host) =>
    [
        // A listener that closes (the old release's, then the handover's) hands the connections queued on it,
        // and those half-open, to another listener of the port's SO_REUSEPORT group instead of resetting them.
        "net.ipv4.tcp_migrate_req=1",
        // The service runs as the image's user 1654, never root, and with host networking binds the VM's port
        // itself: a port below 1024 (80 on GCP) must be open to it. Only lowered, never raised above Linux's default.
        .. host.ServicePort < FirstUnprivilegedPort
            ? new[] { "net.ipv4.ip_unprivileged_port_start=" + host.ServicePort.ToString(CultureInfo.InvariantCulture) }
            : [],
    ];
}
