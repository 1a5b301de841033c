namespace PurchasePredict.Pipeline.Tests;

// The repository these tests belong to: the folder holding build.sh.
internal static class RepositoryRoot
{
    public static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "build.sh")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("No build.sh above " + AppContext.BaseDirectory);
    }
}
