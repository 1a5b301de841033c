#nullable enable
using System.Linq;

// Building a base image without a public registry: a minimal Debian tree, packed and imported into docker.
public static class Debootstrap
{
    public static ShellCommand Create(string suite, string directory, string mirror, IEnumerable<string> packages) =>
        ShellCommand.Of("debootstrap", "--variant=minbase", "--include=" + string.Join(",", packages), suite, directory, mirror);

    // Documentation, manuals, locales and apt's caches add 100 MB and nothing the app uses.
    public static readonly string[] Excluded =
        ["./usr/share/doc", "./usr/share/man", "./usr/share/info", "./usr/share/locale", "./var/cache/apt", "./var/lib/apt/lists"];

    public static ShellCommand Pack(string directory, string tarball) =>
        ShellCommand.Of("tar", ["--create", "--file", tarball, "--directory", directory, .. Excluded.Select(e => "--exclude=" + e), "."]);

    // The whole tree, for the sandbox VM image (systemd and docker need their documentation-free tree intact).
    public static ShellCommand PackAll(string directory, string tarball) =>
        ShellCommand.Of("tar", "--create", "--file", tarball, "--directory", directory, ".");
}
