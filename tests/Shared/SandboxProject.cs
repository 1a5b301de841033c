using Google.Apis.Auth.OAuth2;

/// <summary>
/// The sandbox's GCP project as tests use it: its token endpoint (gcp-sandbox oauth) on a free port of
/// 127.0.0.1 with a state directory of its own, and what the tests add to it: service accounts with key
/// files, VMs' metadata servers, a private bucket. Everything it started is stopped, and its folder
/// deleted, on dispose.
/// </summary>
internal sealed class SandboxProject : IAsyncDisposable
{
    public const string ProjectId = "purchase-predict-sandbox";

    private readonly List<IAsyncDisposable> _started = [];

    private SandboxProject(string folder) => Folder = folder;

    /// <summary>state/ (the stand-ins') and keys/ (the key files handed out).</summary>
    public string Folder { get; }

    public string State => Path.Combine(Folder, "state");

    public StandInProcess OAuth { get; private set; } = null!;

    public Uri TokenUri => new(OAuth.Address, "token");

    public Uri TokenInfo => new(OAuth.Address, "tokeninfo");

    public static string Email(string account) => $"{account}@{ProjectId}.iam.gserviceaccount.com";

    /// <summary>What every stand-in it started printed so far.</summary>
    public IEnumerable<string> Output => _started.SelectMany(started => started switch
    {
        StandInProcess process => process.Output,
        StorageEmulator storage => storage.Output,
        _ => [],
    });

    public static async Task<SandboxProject> StartAsync()
    {
        var project = new SandboxProject(Directory.CreateTempSubdirectory("sandbox-project-").FullName);
        Directory.CreateDirectory(Path.Combine(project.Folder, "keys"));
        await project.StartOAuthAsync();
        return project;
    }

    /// <summary>Stops the token endpoint and starts it again on the same port and state.</summary>
    public async Task RestartOAuthAsync()
    {
        var port = OAuth.Address.Port;
        await OAuth.DisposeAsync();
        _started.Remove(OAuth);
        await StartOAuthAsync(port);
    }

    private async Task StartOAuthAsync(int port = 0)
    {
        OAuth = await StandInProcess.StartGcpSandboxAsync("oauth", "--state", State, "--port", port.ToString());
        _started.Add(OAuth);
    }

    /// <summary>A new key file for the account (created on first use), as gcloud iam service-accounts keys create makes one.</summary>
    public async Task<string> CreateKeyAsync(string account)
    {
        var file = Path.Combine(Folder, "keys", $"{account}-{Guid.NewGuid():N}.json");
        var (exitCode, _, stderr) = await StandInProcess.RunGcpSandboxAsync(
            "create-key", "--state", State, "--account", Email(account), "--token-uri", TokenUri.AbsoluteUri, "--out", file);
        Assert.That(exitCode, Is.Zero, stderr);
        return file;
    }

    /// <summary>A VM's metadata server, holding the account's key, with the VM's access scopes (e.g. "storage-ro").</summary>
    public async Task<StandInProcess> StartMetadataAsync(string keyFile, string scopes)
    {
        var metadata = await StandInProcess.StartGcpSandboxAsync("metadata", "--key", keyFile, "--scopes", scopes, "--port", "0");
        _started.Add(metadata);
        return metadata;
    }

    /// <summary>The MLflow stand-in (gcp-sandbox mlflow), its registry in this project's state folder.</summary>
    public async Task<StandInProcess> StartMlflowAsync()
    {
        var mlflow = await StandInProcess.StartGcpSandboxAsync("mlflow", "--state", State, "--port", "0");
        _started.Add(mlflow);
        return mlflow;
    }

    /// <summary>The registry's token service (gcp-sandbox registry-auth) for the registry at <paramref name="service"/> (host:port).</summary>
    public async Task<StandInProcess> StartRegistryAuthAsync(string service, IEnumerable<string> readers, IEnumerable<string> writers)
    {
        var auth = await StandInProcess.StartGcpSandboxAsync("registry-auth", "--state", State, "--tokeninfo", TokenInfo.AbsoluteUri,
            "--service", service, "--readers", string.Join(',', readers), "--writers", string.Join(',', writers), "--port", "0");
        _started.Add(auth);
        return auth;
    }

    /// <summary>The storage emulator with its token check against this project's token endpoint.</summary>
    public async Task<StorageEmulator> StartPrivateStorageAsync(IEnumerable<string> readers, IEnumerable<string> writers)
    {
        var storage = await StorageEmulator.StartAsync(
            "--tokeninfo", TokenInfo.AbsoluteUri, "--readers", string.Join(',', readers), "--writers", string.Join(',', writers));
        _started.Add(storage);
        return storage;
    }

    /// <summary>An access token from the token endpoint, fetched by Google's ServiceAccountCredential with the key file.</summary>
    public static async Task<string> AccessTokenAsync(string keyFile, params string[] scopes)
    {
        var credential = CredentialFactory.FromFile<ServiceAccountCredential>(keyFile).ToGoogleCredential().CreateScoped(scopes);
        return await credential.UnderlyingCredential.GetAccessTokenForRequestAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started)) await started.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
