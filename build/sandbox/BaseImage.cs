#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
// The sandbox's stand-in for mcr.microsoft.com/dotnet/runtime-deps: a minimal Debian made with
// debootstrap and imported into docker. minbase already has libc6, libgcc-s1, libstdc++6 and zlib;
// the settings add ca-certificates and libssl3 (HTTPS to Google). No ICU or tzdata: the app runs
// with InvariantGlobalization and UTC.
public sealed class BaseImage(CommandRunner runner, CommandRunner probe, HostTools tools, BuildPaths paths, SandboxSettings settings, string image, Action<string> log)
{
    public bool Exists() => probe.TryRun(Docker.Inspect(image, "{{.Id}}"), quiet: true).ExitCode == 0;

    public void EnsureBuilt()
    {
        if (Exists())
        {
            log($"Base image: {image} present.");
            return;
        }
        tools.Require("debootstrap", "debootstrap");
        var root = System.IO.Path.Combine(paths.Sandbox, "rootfs");
        var tarball = System.IO.Path.Combine(paths.Sandbox, "rootfs.tar");
        DeleteIfPresent(root);
        log($"Base image: debootstrap {settings.Suite} (about 30 s)...");
        try
        {
            runner.Run(Debootstrap.Create(settings.Suite, root, settings.Mirror, settings.BasePackages));
            runner.Run(Debootstrap.Pack(root, tarball));
            runner.Run(Docker.Import(tarball, image));
        }
        finally
        {
            DeleteIfPresent(root);
            if (!runner.DryRun) System.IO.File.Delete(tarball);
        }
        if (!runner.DryRun) log($"Base image: {image} built.");
    }

    public void Remove()
    {
        if (Exists())
        {
            runner.Run(Docker.RemoveImages([image]));
        }
    }

    private void DeleteIfPresent(string directory)
    {
        if (!runner.DryRun && System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
