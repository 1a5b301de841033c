#nullable enable
// Push: the assembled image under the commit's tag, :<short sha>, idempotent by digest: a registry
// that already holds this digest under that tag gets nothing; one that holds another digest there is
// an error naming both (the tag of a commit never moves: the build was not reproducible, or was made
// with other settings). Then artifacts/image.json (Deploy deploys its digest). The environment's tag
// (:<environment>) is not Push's: Deploy and Rollback move it once a rollout is verified (EnvironmentTag).
public static class PushStep
{
    public static void Run(BuildParameters p)
    {
        var image = ImageStep.Built(p);
        var source = CloneStep.Source(p);
        var tag = source.Short;
        switch (p.Registry.DigestOf(tag))
        {
            case { } held when held == image.Digest:
                p.Log($"The registry already has {p.Image.Tagged(tag)} = {image.Digest}, the digest this build gives: nothing pushed.");
                break;
            case { } held:
                throw new InvalidOperationException(Mismatch(p, tag, held, image.Digest));
            default:
                p.Registry.Copy(image, tag);
                p.Log($"Pushed {p.Image.Tagged(tag)} = {image.Digest}.");
                break;
        }
        var pushed = new PushedImage(p.Image.Repository, image.Digest, source.Commit, p.Branch, p.Environment, [p.Image.Tagged(tag)], DateTimeOffset.UtcNow);
        p.Runner.WriteFile(p.Paths.ImageJson, pushed.ToJson());
        p.Pushed = pushed;
        p.Log($"Image: {pushed.Reference} ({tag}).");
    }

    public static string Mismatch(BuildParameters p, string tag, string held, string built) =>
        $"The registry has {p.Image.Tagged(tag)} = {held}, but this build of the same commit gives {built}. "
        + "A commit's tag never moves to another image: either the build is not reproducible (docs/pipeline.md lists its inputs: "
        + "compare the two images' configs and layers), or that image was built with other settings (publish mode, base image). Nothing was pushed.";
}
