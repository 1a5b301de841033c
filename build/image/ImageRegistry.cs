#nullable enable
using System.Text.RegularExpressions;

// The registry the image goes to, through skopeo: which digest a tag holds, copying an assembled image
// there under a tag, and pointing another tag at an image it holds. Logs in once, before the first
// request, when the settings say how (RegistryCredentials); the credentials live in a private folder that
// Dispose deletes at the end of the run.
public sealed class ImageRegistry(BuildParameters p) : IDisposable
{
    private readonly Dictionary<string, string?> _digests = [];
    private RegistryCredentials? _login;

    // The manifest digest the registry serves for tag, or null when it has no such tag. Asked once per
    // run (a tag moves only through Copy and Retag, which record it). A dry run asks only a registry on
    // this machine, and one it cannot ask counts as not having the tag.
    public string? DigestOf(string tag)
    {
        if (_digests.TryGetValue(tag, out var known))
        {
            return known;
        }
        CommandResult result;
        if (p.Runner.DryRun)
        {
            result = p.Image.IsLoopback && p.Auth == RegistryAuth.None
                ? p.Runner.Query(Skopeo.Digest(p.Image.Tagged(tag), null, p.Image.IsLoopback), Timeout)
                : new CommandResult(1, "", "manifest unknown (a dry run logs in nowhere)");
        }
        else
        {
            result = p.Runner.TryRun(Skopeo.Digest(p.Image.Tagged(tag), LogIn(), p.Image.IsLoopback), quiet: true, timeout: Timeout);
        }
        var output = result.StandardOutput.Trim();
        var digest = result.ExitCode == 0 && Regex.IsMatch(output, "^sha256:[0-9a-f]{64}$") ? output
            : IsAbsent(result.StandardError) || p.Runner.DryRun ? null
            : throw new InvalidOperationException($"Cannot ask {p.Image.Registry} which image {p.Image.Tagged(tag)} is: {result.LastLine}");
        return _digests[tag] = digest;
    }

    // Pushes the layout's image under tag, blobs the registry already has excepted; the digest the
    // registry stored must be the layout's own (--preserve-digests refuses to change it).
    public void Copy(BuiltImage image, string tag) =>
        Stored(tag, image.Digest, Skopeo.Copy(image.Layout, p.Image.Tagged(tag), LogIn(), p.Image.IsLoopback, p.Paths.PushedDigest));

    // Points tag at an image the registry holds, named by digest (name@sha256:...), manifest unchanged.
    // A dry run's reference may be a placeholder (a Rollback plans "<earlier-image>").
    public void Retag(string reference, string tag) =>
        Stored(tag, reference.Contains('@') ? reference[(reference.LastIndexOf('@') + 1)..]
            : p.Runner.DryRun ? reference
            : throw new ArgumentException($"{reference} names no digest.", nameof(reference)),
            Skopeo.Retag(reference, p.Image.Tagged(tag), LogIn(), p.Image.IsLoopback, p.Paths.PushedDigest));

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

    public void Dispose() => _login?.Dispose();

    private void Stored(string tag, string expected, ShellCommand copy)
    {
        p.Runner.DeleteFile(p.Paths.PushedDigest);
        p.Runner.Run(copy);
        var stored = p.Runner.DryRun ? expected : System.IO.File.ReadAllText(p.Paths.PushedDigest).Trim();
        p.Runner.DeleteFile(p.Paths.PushedDigest);
        _digests[tag] = stored == expected
            ? stored
            : throw new InvalidOperationException($"{p.Image.Tagged(tag)}: the registry stored {stored}, not {expected}.");
    }

    // The auth file skopeo reads, or null: no credentials of ours (skopeo's own search, or anonymous).
    private string? LogIn()
    {
        if (p.Auth == RegistryAuth.None)
        {
            return null;
        }
        _login ??= RegistryCredentials.Open(p);
        return _login.AuthFile;
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
}
