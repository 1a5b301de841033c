#nullable enable
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

// The sandbox VM image: Debian with systemd, sshd, sudo and a Docker engine of its own (debootstrap,
// then the Dockerfile in this folder). Tagged with a hash of its inputs, so a changed Dockerfile or
// package list builds a new one and an unchanged one is reused at once.
public sealed class VmImage(CommandRunner runner, string root, string workDirectory, SandboxVmSettings settings, Action<string> log)
{
    private string Context => System.IO.Path.Combine(root, "build", "sandbox", "vm");

    public const string Repository = "purchase-predict/sandbox-vm";

    public string Tag => Repository + ":" + InputHash();

    public string EnsureBuilt()
    {
        var tag = Tag;
        if (runner.TryRun(Docker.Inspect(tag, "{{.Id}}"), quiet: true).ExitCode == 0)
        {
            return tag;
        }
        log($"VM image: building {tag} with debootstrap (about a minute)...");
        var rootfs = System.IO.Path.Combine(workDirectory, "vm-rootfs");
        var tarball = System.IO.Path.Combine(workDirectory, "vm-rootfs.tar");
        var baseTag = tag + "-rootfs";
        try
        {
            System.IO.Directory.CreateDirectory(workDirectory);
            if (System.IO.Directory.Exists(rootfs)) System.IO.Directory.Delete(rootfs, recursive: true);
            runner.Run(Debootstrap.Create(settings.Suite, rootfs, settings.Mirror, SandboxVmSettings.Packages));
            runner.Run(ShellCommand.Of("tar", "--create", "--file", tarball, "--directory", rootfs, "."));
            runner.Run(Docker.Import(tarball, baseTag));
            runner.Run(Docker.Build(Context, System.IO.Path.Combine(Context, "Dockerfile"), [tag],
                new Dictionary<string, string> { ["BASE"] = baseTag }, new Dictionary<string, string>()));
        }
        finally
        {
            if (System.IO.Directory.Exists(rootfs)) System.IO.Directory.Delete(rootfs, recursive: true);
            System.IO.File.Delete(tarball);
            runner.TryRun(Docker.RemoveImages([baseTag]), quiet: true);
        }
        return tag;
    }

    private string InputHash()
    {
        var inputs = new StringBuilder(string.Join(",", SandboxVmSettings.Packages) + settings.Suite);
        foreach (var file in System.IO.Directory.GetFiles(Context).Where(f => !f.EndsWith(".cs", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            inputs.Append(System.IO.Path.GetFileName(file)).Append(System.IO.File.ReadAllText(file));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..12].ToLowerInvariant();
    }
}
