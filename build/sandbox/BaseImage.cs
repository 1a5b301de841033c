#nullable enable
// The sandbox's stand-in for mcr.microsoft.com/dotnet/runtime-deps: a minimal Debian made with
// debootstrap and imported into docker. minbase already has libc6, libgcc-s1, libstdc++6 and zlib;
// the settings add ca-certificates and libssl3 (HTTPS to Google). No ICU or tzdata: the app runs
// with InvariantGlobalization and UTC.
public sealed class BaseImage(CommandRunner runner, HostTools tools, BuildPaths paths, SandboxSettings settings, string image, Action<string> log)
{
    public bool Exists() => runner.Query(Docker.Inspect(image, "{{.Id}}")).ExitCode == 0;

    public void EnsureBuilt()
    {
        if (Exists())
        {
            log($"Base image: {image} present.");
            return;
        }
        tools.Require("debootstrap", "debootstrap");
        var root = System.IO.Path.Combine(paths.SandboxHome, "rootfs");
        var tarball = System.IO.Path.Combine(paths.SandboxHome, "rootfs.tar");
        runner.DeleteDirectory(root);
        log($"Base image: debootstrap {settings.Suite} (about 30 s)...");
        try
        {
            runner.Run(Debootstrap.Create(settings.Suite, root, settings.Mirror, settings.BasePackages));
            runner.Run(Debootstrap.Pack(root, tarball));
            runner.Run(Docker.Import(tarball, image));
        }
        finally
        {
            runner.DeleteDirectory(root);
            runner.DeleteFile(tarball);
        }
    }

    public void Remove()
    {
        if (Exists())
        {
            runner.Run(Docker.RemoveImages([image]));
        }
    }
}
