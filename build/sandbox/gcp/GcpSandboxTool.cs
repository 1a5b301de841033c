#nullable enable
using System.Linq;

// gcp-sandbox (tools/PurchasePredict.GcpSandbox), built once per version of its sources into the sandbox's
// home: the stand-ins run from there, so a checkout deleted after it started them (an end-to-end test's
// copy) takes nothing from under them, and a changed tool never overwrites files a running one uses.
// Built only when a stand-in must start or a key be made.
public sealed class GcpSandboxTool(CommandRunner runner, BuildPaths paths)
{
    private string? _dll;

    public string Dll => _dll ??= Build();

    private string Build()
    {
        var folder = paths.GcpSandboxBuild(Hash());
        var dll = System.IO.Path.Combine(folder, "gcp-sandbox.dll");
        if (!System.IO.File.Exists(dll))
        {
            // Built aside and moved into place: an interrupted build never looks like a finished one.
            var partial = folder + ".partial";
            runner.DeleteDirectory(partial);
            runner.Run(DotNet.BuildTool(paths.GcpSandboxProject, partial));
            runner.Do($"move {partial} to {folder}", () => System.IO.Directory.Move(partial, folder));
        }
        return dll;
    }

    // Its sources and the solution-wide build files that decide its packages.
    private string Hash()
    {
        var sources = System.IO.Directory.EnumerateFiles(paths.GcpSandboxSources, "*", System.IO.SearchOption.AllDirectories)
            .Where(f => !System.IO.Path.GetRelativePath(paths.GcpSandboxSources, f).Split(System.IO.Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
        var solution = new[] { "Directory.Build.props", "Directory.Packages.props" }.Select(f => System.IO.Path.Combine(paths.Root, f));
        return ContentHash.Of("", paths.Root, sources.Concat(solution));
    }
}
