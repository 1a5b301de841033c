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
    // from all output), and docker reads it on stdin: never on a command line. Each failure names the
    // credential and the registry, and says what to fix.
    public static void Login(BuildParameters p)
    {
        if (p.Auth == RegistryAuth.None || p.LoggedInToRegistry)
        {
            return;
        }
        var credential = Credential(p);
        if (p.ServiceAccountKey is { } key)
        {
            p.Runner.RequirePath(key, () => new InvalidOperationException($"Push: {credential} does not exist."));
        }
        p.Runner.Run(DotNet.BuildTool(p.Paths.RegistryTokenProject, p.Paths.RegistryTokenTool));
        var tool = System.IO.Path.Combine(p.Paths.RegistryTokenTool, "registry-token.dll");
        Secret token;
        try
        {
            token = p.Runner.ReadSecret(DotNet.RegistryToken(tool, p.Auth, p.ServiceAccountKey, p.MetadataHost));
        }
        catch (CommandFailedException e)
        {
            throw new InvalidOperationException($"Push: no access token for {p.Image.Registry} from {credential}: {e.Result.LastLine}");
        }
        try
        {
            p.Runner.Run(Docker.Login("https://" + p.Image.Registry, "oauth2accesstoken", token));
        }
        catch (CommandFailedException e)
        {
            throw new InvalidOperationException(
                $"Push: the registry {p.Image.Registry} refused the access token of {credential}: {e.Result.LastLine}. " +
                "Grant the account roles/artifactregistry.writer on the repository (docs/gcp.md).");
        }
        p.LoggedInToRegistry = true;
        p.Log($"Registry: docker logged in to {p.Image.Registry} with {credential}.");
    }

    private static string Credential(BuildParameters p) => p.Auth switch
    {
        RegistryAuth.ServiceAccountKey => $"the service-account key {p.ServiceAccountKey} (serviceAccountKey)",
        _ when p.MetadataHost is { } host => $"Application Default Credentials: the metadata server {host} of the machine running the pipeline",
        _ => "Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, or the metadata server)",
    };
}
