#nullable enable
// `systemctl` command lines for one unit. Read-only ones plan the answer a dry run goes on with.
public static class Systemctl
{
    public static ShellCommand DaemonReload() => ShellCommand.Of("systemctl", "daemon-reload");

    public static ShellCommand Enable(string unit) => ShellCommand.Of("systemctl", "enable", "--quiet", unit);

    public static ShellCommand Restart(string unit) => ShellCommand.Of("systemctl", "restart", unit);

    public static ShellCommand IsActive(string unit) => ShellCommand.Of("systemctl", "is-active", unit).Planned("active");

    // Just the value of one property, e.g. NRestarts -> "0".
    public static ShellCommand ShowValue(string unit, string property) =>
        ShellCommand.Of("systemctl", "show", unit, "--property=" + property, "--value").Planned("0");
}
