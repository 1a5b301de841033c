#nullable enable
using System.Linq;

// Removes every image of a repository, tagged or not, for the sandbox's Down tasks.
public static class ImageCleanup
{
    // The probe lists even in a dry run, so the plan shows what would be removed.
    public static void RemoveAll(CommandRunner probe, CommandRunner runner, string repository)
    {
        var ids = probe.TryRun(Docker.ImagesOf(repository), quiet: true).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (ids.Length > 0)
        {
            runner.Run(Docker.RemoveImages(ids));
        }
    }
}
