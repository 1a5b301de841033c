#nullable enable
// Image: `docker build` of artifacts/publish with the clone's ops/Dockerfile, labelled with the commit.
// Tag: the registry name of the commit, <registry>/<project>/purchase_predict_api:<short sha>. The
// environment's tag (:<environment>) is not Push's: Deploy and Rollback move it once a rollout is verified
// (EnvironmentTag), so that it names what the environment runs.
public static class ImageStep
{
    public const string RevisionLabel = "org.opencontainers.image.revision";

    // How the image was made, besides the commit: an image of the same commit built another way
    // (another publish mode, another base) is not "already built".
    public const string PublishModeLabel = "com.purchase-predict.publish-mode";
    public const string BaseImageLabel = "com.purchase-predict.base-image";

    // The name docker build gives the image before it has registry names.
    public static string LocalTag(string shortCommit) => $"{ImageTarget.ImageName}:{shortCommit}";

    public static IReadOnlyList<string> RegistryTags(BuildParameters p) => [p.Image.Tagged(CloneStep.Source(p).Short)];

    // The image of this commit is already built this way (and was tested before it was): Test, Publish
    // and Image have nothing to do. Labels decide, not the tag: a short sha can collide. Asked once, by Clone.
    public static bool IsBuilt(BuildParameters p, string commit)
    {
        if (p.Force)
        {
            return false;
        }
        var result = p.Runner.Query(Docker.Inspect(LocalTag(SourceCommit.ShortOf(commit)), "{{json .Config.Labels}}"));
        if (result.ExitCode != 0)
        {
            return false;
        }
        var labels = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(result.StandardOutput) ?? new();
        return labels.GetValueOrDefault(RevisionLabel) == commit
            && labels.GetValueOrDefault(PublishModeLabel) == p.PublishMode.ToString()
            && labels.GetValueOrDefault(BaseImageLabel) == p.BaseImage;
    }

    public static void Build(BuildParameters p)
    {
        var source = CloneStep.Source(p);
        var labels = new Dictionary<string, string>
        {
            [RevisionLabel] = source.Commit,
            ["org.opencontainers.image.source"] = p.Repository,
            ["org.opencontainers.image.created"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["org.opencontainers.image.version"] = source.Short,
            ["org.opencontainers.image.title"] = ImageTarget.ImageName,
            [PublishModeLabel] = p.PublishMode.ToString(),
            [BaseImageLabel] = p.BaseImage,
        };
        var arguments = new Dictionary<string, string> { ["BASE_IMAGE"] = p.BaseImage };
        var command = Docker.Build(p.Paths.Publish, p.Paths.Dockerfile, [LocalTag(source.Short)], arguments, labels);
        p.Runner.Run(command, onLine: line => { if (line.StartsWith("Step ")) p.Log("  " + line); });
    }

    public static void Tag(BuildParameters p)
    {
        foreach (var tag in RegistryTags(p))
        {
            p.Runner.Run(Docker.Tag(LocalTag(CloneStep.Source(p).Short), tag));
        }
    }
}
