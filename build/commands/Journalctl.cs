#nullable enable
using System.Globalization;

// `journalctl` command lines: the last lines a unit logged, for failures.
public static class Journalctl
{
    public static ShellCommand Tail(string unit, int lines) =>
        ShellCommand.Of("journalctl", "--unit", unit, "--lines", lines.ToString(CultureInfo.InvariantCulture),
            "--no-pager", "--output", "short-iso");
}
