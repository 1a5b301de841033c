#nullable enable
// The sandbox VM image: Debian with systemd, sshd, sudo and a Docker engine of its own (debootstrap,
// then the Dockerfile in this folder). Tagged with a hash of its inputs, so a changed Dockerfile or
// package list builds a new one and an unchanged one is reused at once.
public sealed class VmImage(CommandRunner runner, BuildPaths paths, SandboxVmSettings settings, Action<string> log)
{
    public const string Repository = "purchase-predict/sandbox-vm";

    public string Tag => Repository + ":" + InputHash();

    public string EnsureBuilt()
    {
        var tag = Tag;
        if (runner.Query(Docker.Inspect(tag, "{{.Id}}")).ExitCode == 0)
        {
            return tag;
        }
        log($"VM image: building {tag} with debootstrap (about a minute)...");
        var rootfs = System.IO.Path.Combine(paths.SandboxHome, "vm-rootfs");
        var tarball = System.IO.Path.Combine(paths.SandboxHome, "vm-rootfs.tar");
        var baseTag = tag + "-rootfs";
        try
        {
            runner.DeleteDirectory(rootfs);
            runner.Run(Debootstrap.Create(settings.Suite, rootfs, settings.Mirror, SandboxVmSettings.Packages));
            runner.Run(Debootstrap.PackAll(rootfs, tarball));
            runner.Run(Docker.Import(tarball, baseTag));
            runner.Run(Docker.Build(paths.VmImageContext, System.IO.Path.Combine(paths.VmImageContext, "Dockerfile"), [tag],
                new Dictionary<string, string> { ["BASE"] = baseTag }, new Dictionary<string, string>()));
        }
        finally
        {
            runner.DeleteDirectory(rootfs);
            runner.DeleteFile(tarball);
            runner.TryRun(Docker.RemoveImages([baseTag]), quiet: true);
        }
        return tag;
    }

    private string InputHash() =>
        ContentHash.Of(string.Join(",", SandboxVmSettings.Packages) + settings.Suite, paths.VmImageContext, System.IO.Directory.GetFiles(paths.VmImageContext));
}
