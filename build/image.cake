// Image: `docker build` of artifacts/publish with the clone's ops/Dockerfile, labelled with the commit.
// Tag: the registry names, <registry>/<project>/purchase_predict_api:<short sha> and :<environment>.
public static class ImageStep
{
    public const string RevisionLabel = "org.opencontainers.image.revision";

    // The name docker build gives the image before it has registry names.
    public static string LocalTag(BuildParameters p) => $"{ImageTarget.ImageName}:{CloneStep.ShortCommit(p)}";

    public static IReadOnlyList<string> RegistryTags(BuildParameters p) =>
        [p.Image.Tagged(CloneStep.ShortCommit(p)), p.Image.Tagged(p.MovingTag)];

    // The image of the clone's commit is already built (and was tested before it was): Test, Publish
    // and Image have nothing to do. The label, not the tag, decides: a short sha can collide.
    public static bool IsBuilt(BuildParameters p)
    {
        if (p.DryRun || p.Force)
        {
            return false;
        }
        var result = p.Probe.TryRun(Docker.Inspect(LocalTag(p), $"{{{{index .Config.Labels \"{RevisionLabel}\"}}}}"), quiet: true);
        return result.ExitCode == 0 && result.StandardOutput.Trim() == CloneStep.Commit(p);
    }

    public static void Build(BuildParameters p)
    {
        var commit = CloneStep.Commit(p);
        var labels = new Dictionary<string, string>
        {
            [RevisionLabel] = commit,
            ["org.opencontainers.image.source"] = p.Repository,
            ["org.opencontainers.image.created"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["org.opencontainers.image.version"] = CloneStep.ShortCommit(p),
            ["org.opencontainers.image.title"] = ImageTarget.ImageName,
        };
        var arguments = new Dictionary<string, string> { ["BASE_IMAGE"] = p.BaseImage };
        var command = Docker.Build(p.Paths.Publish, p.Paths.Dockerfile, [LocalTag(p)], arguments, labels);
        p.Runner.Run(command, onLine: line => { if (line.StartsWith("Step ")) p.Log("  " + line); });
    }

    public static void Tag(BuildParameters p)
    {
        foreach (var tag in RegistryTags(p))
        {
            p.Runner.Run(Docker.Tag(LocalTag(p), tag));
        }
    }
}
