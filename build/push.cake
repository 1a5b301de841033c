#addin nuget:?package=Google.Apis.Auth&version=1.78.0&loaddependencies=true
using Google.Apis.Auth.OAuth2;
using System.Text.RegularExpressions;

// Push: log in when the settings say how, push both tags, and record what was pushed, by digest,
// in artifacts/image.json (Deploy deploys that digest).
public static class PushStep
{
    public static void Run(BuildParameters p)
    {
        Login(p);
        string? digest = null;
        foreach (var tag in ImageStep.RegistryTags(p))
        {
            var output = p.Runner.Run(Docker.Push(tag)).StandardOutput;
            digest = Regex.Match(output, "digest: (sha256:[0-9a-f]{64})").Groups[1].Value;
        }
        if (p.DryRun)
        {
            p.Log($"[dry run] write {p.Paths.ImageJson}");
            return;
        }
        if (string.IsNullOrEmpty(digest))
        {
            throw new InvalidOperationException("docker push printed no digest.");
        }
        var pushed = new PushedImage(p.Image.Repository, digest, CloneStep.Commit(p), p.Branch, p.Environment,
            ImageStep.RegistryTags(p), DateTimeOffset.UtcNow);
        pushed.Write(p.Paths.ImageJson);
        p.Log($"Pushed {pushed.Reference} ({string.Join(", ", pushed.Tags.Select(t => t[(t.LastIndexOf(':') + 1)..]))}).");
    }

    // An access token for Google's registries, from a service-account key or Application Default
    // Credentials, handed to docker on stdin: never on a command line, never printed.
    private static void Login(BuildParameters p)
    {
        if (p.Auth == RegistryAuth.None)
        {
            return;
        }
        var token = p.DryRun ? new Secret("dry-run") : GoogleAccessToken.For(p.Auth, p.ServiceAccountKey);
        p.Runner.Run(Docker.Login("https://" + p.Image.Registry, "oauth2accesstoken", token));
    }
}

public static class GoogleAccessToken
{
    private const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    public static Secret For(RegistryAuth auth, string? keyFile)
    {
        var credential = auth == RegistryAuth.ServiceAccountKey
            ? CredentialFactory.FromFile<ServiceAccountCredential>(keyFile!).ToGoogleCredential()
            : GoogleCredential.GetApplicationDefault();
        var token = credential.CreateScoped(CloudPlatformScope).UnderlyingCredential
            .GetAccessTokenForRequestAsync().GetAwaiter().GetResult();
        return new Secret(token);
    }
}
