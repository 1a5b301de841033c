#nullable enable
// Credentials for the registry, for one run: an access token for Google's registries (from a
// service-account key or Application Default Credentials: tools/RegistryToken prints it, the runner
// keeps it as a secret, never logged and redacted from all output), handed to `skopeo login` on
// standard input, which writes it into an auth file in a folder only this user can open (0700), made
// for the run and deleted with it (Dispose). Nothing else on the machine learns the token: not docker's
// config, not a command line, not the log. Each failure names the credential and the registry, and
// says what to fix.
public sealed class RegistryCredentials : IDisposable
{
    private readonly string _folder;

    private RegistryCredentials(string folder) => _folder = folder;

    public string AuthFile => System.IO.Path.Combine(_folder, "auth.json");

    public static RegistryCredentials Open(BuildParameters p)
    {
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
        var login = new RegistryCredentials(p.Runner.DryRun
            ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "purchase-predict-registry-<made for the run>")
            : System.IO.Directory.CreateTempSubdirectory("purchase-predict-registry-").FullName);
        try
        {
            p.Runner.Run(Skopeo.Login(p.Image.Registry, "oauth2accesstoken", token, login.AuthFile, p.Image.IsLoopback));
        }
        catch (CommandFailedException e)
        {
            login.Dispose();
            throw new InvalidOperationException(
                $"Push: the registry {p.Image.Registry} refused the access token of {credential}: {e.Result.LastLine}. " +
                "Grant the account roles/artifactregistry.writer on the repository (docs/gcp.md).");
        }
        p.Log($"Registry: logged in to {p.Image.Registry} with {credential}, for this run only.");
        return login;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_folder))
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Credential(BuildParameters p) => p.Auth switch
    {
        RegistryAuth.ServiceAccountKey => $"the service-account key {p.ServiceAccountKey} (serviceAccountKey)",
        _ when p.MetadataHost is { } host => $"Application Default Credentials: the metadata server {host} of the machine running the pipeline",
        _ => "Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, or the metadata server)",
    };
}
