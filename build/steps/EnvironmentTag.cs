#nullable enable
// The environment's tag, <repository>:<environment> (:sandbox, :staging): it names the release the
// environment runs, so Deploy and Rollback move it once a whole rollout is verified, still holding the
// rollout lock; Push never does (its tag is the commit's short sha, which names a build). The registry
// already holds the image: the tag is pointed at its digest there (ImageRegistry.Retag), manifest
// unchanged, so the tag's digest is the one the VMs run (a docker pull, tag and push would re-encode
// an OCI image's manifest into docker's own, under another digest).
public static class EnvironmentTag
{
    public static void Point(BuildParameters p, string reference)
    {
        var tag = p.Image.Tagged(p.MovingTag);
        p.Registry.Retag(reference, p.MovingTag);
        p.Log($"{tag} now names {reference}, which every VM runs.");
    }
}
