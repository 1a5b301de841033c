#nullable enable
using System.Linq;
using System.Text.RegularExpressions;

// Push: log in when the settings say how, push the commit's tag, and record what was pushed, by digest,
// in artifacts/image.json (Deploy deploys that digest).
public static class PushStep
{
    public static void Run(BuildParameters p)
    {
        Login(p);
        var tags = ImageStep.RegistryTags(p);
        var digest = "";
        foreach (var tag in tags)
        {
            digest = PushedDigest(p.Runner.Run(Docker.Push(tag)).StandardOutput)
                ?? throw new InvalidOperationException($"`docker push {tag}` printed no digest.");
        }
        var pushed = new PushedImage(p.Image.Repository, digest, CloneStep.Source(p).Commit, p.Branch, p.Environment, tags, DateTimeOffset.UtcNow);
        p.Runner.WriteFile(p.Paths.ImageJson, pushed.ToJson());
        p.Pushed = pushed;
        p.Log($"Image: {pushed.Reference} ({string.Join(", ", tags.Select(t => t[(t.LastIndexOf(':') + 1)..]))}).");
    }

    // The digest in docker push's last line ("<tag>: digest: sha256:<64 hex> size: <n>"); a dry run's
    // planned line names it in <angle brackets>.
    public static string? PushedDigest(string output) =>
        Regex.Match(output, "digest: (sha256:[0-9a-f]{64}|<[^>]+>)") is { Success: true } match ? match.Groups[1].Value : null;

    // An access token for Google's registries, from a service-account key or Application Default
    // Credentials: tools/RegistryToken prints it, the runner keeps it as a secret (never logged, redacted
    // from all output), and docker reads it on stdin: never on a command line.
    public static void Login(BuildParameters p)
    {
        if (p.Auth == RegistryAuth.None)
        {
            return;
        }
        p.Runner.Run(DotNet.BuildTool(p.Paths.RegistryTokenProject, p.Paths.RegistryTokenTool));
        var tool = System.IO.Path.Combine(p.Paths.RegistryTokenTool, "registry-token.dll");
        var token = p.Runner.ReadSecret(DotNet.RegistryToken(tool, p.Auth, p.ServiceAccountKey));
        p.Runner.Run(Docker.Login("https://" + p.Image.Registry, "oauth2accesstoken", token));
    }
}
