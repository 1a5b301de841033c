#nullable enable
// Push: the assembled image under the commit's tag, :<short sha>, idempotent by digest: a registry
// that already holds this digest under that tag gets nothing; one that holds another digest there is
// an error naming both (the tag of a commit never moves: the build was not reproducible, or was made
// with other settings). Then the environment's tag, and artifacts/image.json (Deploy deploys its digest).
public static class PushStep
{
    public static void Run(BuildParameters p)
    {
        var image = ImageStep.Built(p);
        var source = CloneStep.Source(p);
        var commitTag = source.Short;
        switch (p.Registry.DigestOf(commitTag))
        {
            case { } held when held == image.Digest:
                p.Log($"The registry already has {p.Image.Tagged(commitTag)} = {image.Digest}, the digest this build gives: nothing pushed.");
                break;
            case { } held:
                throw new InvalidOperationException(Mismatch(p, commitTag, held, image.Digest));
            default:
                p.Registry.Copy(image, commitTag);
                p.Log($"Pushed {p.Image.Tagged(commitTag)} = {image.Digest}.");
                break;
        }
        if (p.Registry.DigestOf(p.MovingTag) != image.Digest)
        {
            p.Registry.Copy(image, p.MovingTag);
        }
        var tags = new[] { p.Image.Tagged(commitTag), p.Image.Tagged(p.MovingTag) };
        var pushed = new PushedImage(p.Image.Repository, image.Digest, source.Commit, p.Branch, p.Environment, tags, DateTimeOffset.UtcNow);
        p.Runner.WriteFile(p.Paths.ImageJson, pushed.ToJson());
        p.Pushed = pushed;
        p.Log($"Image: {pushed.Reference} ({commitTag}, {p.MovingTag}).");
    }

    public static string Mismatch(BuildParameters p, string tag, string held, string built) =>
        $"The registry has {p.Image.Tagged(tag)} = {held}, but this build of the same commit gives {built}. "
        + "A commit's tag never moves to another image: either the build is not reproducible (docs/pipeline.md lists its inputs: "
        + "compare the two images' configs and layers), or that image was built with other settings (publish mode, base image). Nothing was pushed.";
}
