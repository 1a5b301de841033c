#nullable enable
// The environment's tag, <repository>:<environment> (:sandbox, :staging): it names the release the
// environment runs, so Deploy and Rollback move it once a whole rollout is verified, still holding the
// rollout lock; Push never does (its tag is the commit's short sha, which names a build). The registry
// already holds the image: the tag's push uploads no layer.
public static class EnvironmentTag
{
    public static void Point(BuildParameters p, string reference)
    {
        var tag = p.Image.Tagged(p.MovingTag);
        PushStep.Login(p);
        // A Rollback run from another machine may not have the image here: fetch it by digest.
        if (p.Runner.Query(Docker.Inspect(reference, "{{.Id}}")).ExitCode != 0)
        {
            p.Runner.Run(Docker.Pull(reference));
        }
        p.Runner.Run(Docker.Tag(reference, tag));
        var pushed = PushStep.PushedDigest(p.Runner.Run(Docker.Push(tag)).StandardOutput);
        var expected = reference[(reference.LastIndexOf('@') + 1)..];
        if (!p.Runner.DryRun && pushed != expected)
        {
            throw new DeployException($"`docker push {tag}` reported {pushed ?? "no digest"}, not the digest the VMs run ({expected}).");
        }
        p.Log($"{tag} now names {reference}, which every VM runs.");
    }
}
