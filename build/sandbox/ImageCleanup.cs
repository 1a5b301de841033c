#nullable enable
using System.Linq;

// Removes every image of a repository, tagged or not, for the sandbox's Down tasks.
public static class ImageCleanup
{
    // The listing is a query, so the plan of a dry run shows what would be removed.
    public static void RemoveAll(CommandRunner runner, string repository)
    {
        var ids = runner.Query(Docker.ImagesOf(repository)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (ids.Length > 0)
        {
            runner.Run(Docker.RemoveImages(ids));
        }
    }
}
