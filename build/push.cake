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
    // Credentials, handed to docker on stdin: never on a command line, never printed. tools/RegistryToken
    // prints it: a project NuGet restores like any other, where Cake's addin loader failed to bring
    // Google.Apis.Auth's dependencies on a machine whose NuGet cache lacked them.
    private static void Login(BuildParameters p)
    {
        if (p.Auth == RegistryAuth.None)
        {
            return;
        }
        var tool = System.IO.Path.Combine(p.Paths.Artifacts, "tools", "registry-token");
        p.Runner.Run(ShellCommand.Of("dotnet", "build", System.IO.Path.Combine(p.Paths.Root, "tools", "RegistryToken", "RegistryToken.csproj"),
            "--configuration", "Release", "--output", tool, "--nologo", "--verbosity", "quiet"));
        var arguments = p.Auth == RegistryAuth.ServiceAccountKey
            ? new object[] { System.IO.Path.Combine(tool, "registry-token.dll"), "service-account-key", p.ServiceAccountKey! }
            : new object[] { System.IO.Path.Combine(tool, "registry-token.dll"), "application-default" };
        // The runner never logs a command's output: the token stays out of the log.
        var token = p.DryRun ? new Secret("dry-run") : new Secret(p.Runner.Run(ShellCommand.Of("dotnet", arguments), quiet: true).StandardOutput.Trim());
        p.Runner.Run(Docker.Login("https://" + p.Image.Registry, "oauth2accesstoken", token));
    }
}
