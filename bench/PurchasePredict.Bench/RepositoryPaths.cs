namespace PurchasePredict.Bench;

/// <summary>Where things are, found from the repository root (the folder holding PurchasePredict.slnx),
/// so the benchmarks work from bin/ and from BenchmarkDotNet's generated folders alike.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string DemoModel => Path.Combine(Root, "models", "demo", "model.txt");

    /// <summary>Generated benchmark models (git-ignored: megabytes, and regenerated identically on demand).</summary>
    public static string ModelCache => Path.Combine(Root, "bench", "models");

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PurchasePredict.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"cannot find the repository root (a folder with PurchasePredict.slnx) above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}'");
    }
}
