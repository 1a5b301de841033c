#nullable enable
using System.Linq;

// Publish: `dotnet publish` of the clone's API into artifacts/publish (the image's build context).
// Native AOT by default, ready-to-run or self-contained on request: docs/pipeline.md has the measured size and
// start time of each mode and why.
public static class PublishStep
{
    // Setup: native AOT needs a C compiler, which only root can install here; anyone else hears so before anything runs.
    public static void Check(BuildParameters p)
    {
        if (p.PublishMode == PublishMode.Aot && !HostTools.IsRoot)
        {
            AotCompiler();
        }
    }

    public static void Run(BuildParameters p)
    {
        p.Runner.DeleteDirectory(p.Paths.Publish);
        var compiler = p.PublishMode == PublishMode.Aot ? AotToolchain(new HostTools(p.Runner)) : null;
        var command = DotNet.Publish(System.IO.Path.Combine(p.Paths.Clone, p.ApiProject), p.Paths.Publish, p.PublishMode, p.Runtime, compiler);
        p.Runner.Run(command, onLine: line => { if (line.Contains(" -> ") || line.Contains(" error ")) p.Log("  " + line.Trim()); });
        p.Runner.Do($"move debug symbols to {p.Paths.Symbols}", () =>
        {
            MoveSymbols(p);
            var bytes = System.IO.Directory.EnumerateFiles(p.Paths.Publish, "*", System.IO.SearchOption.AllDirectories).Sum(f => new System.IO.FileInfo(f).Length);
            p.Log($"Published {p.PublishMode}: {bytes / 1024.0 / 1024.0:F1} MiB.");
        });
    }

    // Native AOT links with clang and zlib: on a fresh machine, root gets them from Debian's packages (clang,
    // zlib1g-dev) as the sandbox gets its own. Returns the compiler to name, null for the SDK's default.
    public static string? AotToolchain(HostTools tools)
    {
        tools.RequireLibrary("libz.so", "zlib1g-dev");
        if (FindClang() is null)
        {
            tools.Require("clang", "clang");
        }
        return AotCompiler();
    }

    // The SDK calls `clang`; Debian may only have a versioned one (clang-14). Null means the SDK's default works.
    public static string? AotCompiler() => FindClang() switch
    {
        "clang" => null,
        { } versioned => versioned,
        null => throw new InvalidOperationException("Native AOT needs clang: install it (`apt-get install clang zlib1g-dev`), or set publishMode to ready-to-run."),
    };

    private static string? FindClang() =>
        new[] { "clang" }.Concat(Enumerable.Range(14, 8).Reverse().Select(v => $"clang-{v}")).FirstOrDefault(c => HostTools.Find(c) is not null);

    // Debug symbols (.dbg, .pdb) stay in artifacts/symbols for post-mortems; the image doesn't need them.
    private static void MoveSymbols(BuildParameters p)
    {
        System.IO.Directory.CreateDirectory(p.Paths.Symbols);
        foreach (var file in System.IO.Directory.EnumerateFiles(p.Paths.Publish).Where(f => f.EndsWith(".dbg") || f.EndsWith(".pdb")))
        {
            System.IO.File.Move(file, System.IO.Path.Combine(p.Paths.Symbols, System.IO.Path.GetFileName(file)), overwrite: true);
        }
    }
}
