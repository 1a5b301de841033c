#nullable enable
using System.Text.RegularExpressions;

// The registry the image goes to, through skopeo with docker's credentials: which digest a tag holds,
// and copying an assembled image there under a tag. Logs in once, before the first request, when the
// settings say how (the sandbox's registry and a docker already logged in need nothing).
public sealed class ImageRegistry(BuildParameters p)
{
    private readonly Dictionary<string, string?> _digests = [];
    private bool _loggedIn;

    // The manifest digest the registry serves for tag, or null when it has no such tag. Asked once per
    // run (Push moves a tag only through Copy, which records it). A dry run asks only a registry on
    // this machine, and one it cannot ask counts as not having the tag.
    public string? DigestOf(string tag)
    {
        if (_digests.TryGetValue(tag, out var known))
        {
            return known;
        }
        var command = Skopeo.Digest(p.Image.Tagged(tag), p.Paths.DockerConfig, p.Image.IsLoopback);
        CommandResult result;
        if (p.Runner.DryRun)
        {
            result = p.Image.IsLoopback ? p.Runner.Query(command, Timeout) : new CommandResult(1, "", "manifest unknown (a dry run asks no remote registry)");
        }
        else
        {
            LogIn();
            result = p.Runner.TryRun(command, quiet: true, timeout: Timeout);
        }
        var digest = result.ExitCode == 0 && Regex.IsMatch(result.StandardOutput.Trim(), "^sha256:[0-9a-f]{64}$") ? result.StandardOutput.Trim()
            : IsAbsent(result.StandardError) || p.Runner.DryRun ? null
            : throw new InvalidOperationException($"Cannot ask {p.Image.Registry} which image {p.Image.Tagged(tag)} is: {result.LastLine}");
        return _digests[tag] = digest;
    }

    // Pushes the layout's image under tag, blobs the registry already has excepted; returns the digest
    // the registry stored, which --preserve-digests makes the layout's own.
    public string Copy(BuiltImage image, string tag)
    {
        LogIn();
        p.Runner.DeleteFile(p.Paths.PushedDigest);
        p.Runner.Run(Skopeo.Copy(image.Layout, p.Image.Tagged(tag), p.Paths.DockerConfig, p.Image.IsLoopback, p.Paths.PushedDigest));
        var stored = p.Runner.DryRun ? image.Digest : System.IO.File.ReadAllText(p.Paths.PushedDigest).Trim();
        if (stored != image.Digest)
        {
            throw new InvalidOperationException($"{p.Image.Tagged(tag)}: the registry stored {stored}, not the assembled image's {image.Digest}.");
        }
        return _digests[tag] = stored;
    }

    // Setup: skopeo talks to the registry. The sandbox installs it (Sandbox task); elsewhere say what to install.
    public static void Check(BuildParameters p)
    {
        if (!p.IsSandbox && HostTools.Find("skopeo") is null)
        {
            throw new SettingsException("Pushing and verifying images needs skopeo, which copies the assembled image to the registry without changing its digest: install it (`apt-get install skopeo`; docs/pipeline.md).");
        }
    }

    // skopeo's words for a tag or a repository the registry doesn't have.
    public static bool IsAbsent(string error) =>
        error.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase) || error.Contains("name unknown", StringComparison.OrdinalIgnoreCase);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // An access token for Google's registries, from a service-account key or Application Default
    // Credentials: tools/RegistryToken prints it, the runner keeps it as a secret (never logged, redacted
    // from all output), and docker reads it on stdin: never on a command line. docker writes it to its
    // config file, where skopeo finds it.
    private void LogIn()
    {
        if (_loggedIn || p.Auth == RegistryAuth.None)
        {
            return;
        }
        p.Runner.Run(DotNet.BuildTool(p.Paths.RegistryTokenProject, p.Paths.RegistryTokenTool));
        var tool = System.IO.Path.Combine(p.Paths.RegistryTokenTool, "registry-token.dll");
        var token = p.Runner.ReadSecret(DotNet.RegistryToken(tool, p.Auth, p.ServiceAccountKey));
        p.Runner.Run(Docker.Login("https://" + p.Image.Registry, "oauth2accesstoken", token));
        _loggedIn = true;
    }
}
