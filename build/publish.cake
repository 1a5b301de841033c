// Publish: `dotnet publish` of the clone's API into artifacts/publish (the image's build context).
// Ready-to-run by default, native AOT on request: docs/pipeline.md has the measured size and start time of each mode and why.
public static class PublishStep
{
    public static void Run(BuildParameters p)
    {
        if (!p.DryRun && System.IO.Directory.Exists(p.Paths.Publish))
        {
            System.IO.Directory.Delete(p.Paths.Publish, recursive: true);
        }
        var compiler = p.PublishMode == PublishMode.Aot ? AotCompiler() : null;
        var command = DotNet.Publish(System.IO.Path.Combine(p.Paths.Clone, p.ApiProject), p.Paths.Publish, p.PublishMode, p.Runtime, compiler);
        p.Runner.Run(command, onLine: line => { if (line.Contains(" -> ") || line.Contains(" error ")) p.Log("  " + line.Trim()); });
        if (!p.DryRun)
        {
            MoveSymbols(p);
            var bytes = System.IO.Directory.EnumerateFiles(p.Paths.Publish, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            p.Log($"Published {p.PublishMode}: {bytes / 1024.0 / 1024.0:F1} MiB.");
        }
    }

    // Native AOT links with clang. The SDK calls `clang`; Debian may only have a versioned one (clang-14).
    // Null means the SDK's default works.
    public static string? AotCompiler()
    {
        if (HostTools.Find("clang") is not null)
        {
            return null;
        }
        return Enumerable.Range(14, 8).Reverse().Select(v => $"clang-{v}").FirstOrDefault(c => HostTools.Find(c) is not null)
            ?? throw new InvalidOperationException("Native AOT needs clang: install it (`apt-get install clang`), or set publishMode to self-contained.");
    }

    // Debug symbols (.dbg, .pdb) stay in artifacts/symbols for post-mortems; the image doesn't need them.
    private static void MoveSymbols(BuildParameters p)
    {
        var symbols = System.IO.Path.Combine(p.Paths.Artifacts, "symbols");
        System.IO.Directory.CreateDirectory(symbols);
        foreach (var file in System.IO.Directory.EnumerateFiles(p.Paths.Publish).Where(f => f.EndsWith(".dbg") || f.EndsWith(".pdb")))
        {
            System.IO.File.Move(file, System.IO.Path.Combine(symbols, System.IO.Path.GetFileName(file)), overwrite: true);
        }
    }
}
