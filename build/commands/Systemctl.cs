#nullable enable
// `systemctl` command lines for one unit.
public static class Systemctl
{
    public static ShellCommand DaemonReload() => ShellCommand.Of("systemctl", "daemon-reload");

    public static ShellCommand Enable(string unit) => ShellCommand.Of("systemctl", "enable", "--quiet", unit);

    public static ShellCommand Restart(string unit) => ShellCommand.Of("systemctl", "restart", unit);

    public static ShellCommand IsActive(string unit) => ShellCommand.Of("systemctl", "is-active", unit);

    // Machine-readable key=value lines, e.g. ActiveState, ActiveEnterTimestamp.
    public static ShellCommand Show(string unit, params string[] properties) =>
        ShellCommand.Of("systemctl", "show", unit, "--property=" + string.Join(',', properties));

    // Just the value of one property, e.g. NRestarts -> "0".
    public static ShellCommand ShowValue(string unit, string property) =>
        ShellCommand.Of("systemctl", "show", unit, "--property=" + property, "--value");

    public static ShellCommand Verify(string unitFile) => ShellCommand.Of("systemd-analyze", "verify", unitFile);
}
