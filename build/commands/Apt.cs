#nullable enable
// Debian packages the sandbox installs when a tool is missing (only as root).
public static class Apt
{
    public static ShellCommand Update() => ShellCommand.Of("apt-get", "update", "--quiet", "--quiet");

    public static ShellCommand Install(IEnumerable<string> packages) =>
        ShellCommand.Of("apt-get", ["install", "--yes", "--quiet", "--quiet", "--no-install-recommends", .. packages]);
}
