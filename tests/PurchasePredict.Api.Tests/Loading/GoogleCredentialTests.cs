using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PurchasePredict.Api.Tests.Loading;

/// <summary>
/// The tutorial's GCP chapter against the sandbox's stand-ins: the service finds its model through MLflow
/// (MLFLOW_SERVER, MLFLOW_REGISTRY_NAME, ENV) in a private bucket, and authenticates (a) as the VM's
/// service account through the metadata server, with no key anywhere, or (b) with a service-account key
/// in GOOGLE_APPLICATION_CREDENTIALS. Each with the ready-to-run and the native AOT build, as shipped.
/// Bad credentials stop the service at start with one line saying which credential, which resource and
/// what to fix; no output ever holds a token or a key.
/// </summary>
[NonParallelizable]
public partial class GoogleCredentialTests
{
    private const string Bucket = "purchase-predict-sandbox";
    private const string ArtifactDirectory = "mlflow/1/0a1b2c3d/artifacts/model";
    private static readonly string Model = $"gs://{Bucket}/{ArtifactDirectory}/model.lgb";

    private SandboxProject _project = null!;
    private StandInProcess _vm = null!;
    private StorageEmulator _storage = null!;
    private StandInProcess _mlflow = null!;
    private string _vmKey = null!;
    private readonly List<string> _keys = [];

    private static Task<ServiceBuild> Build(string name) =>
        name == "aot" ? PublishedService.AotAsync() : PublishedService.ReadyToRunAsync();

    [OneTimeSetUp]
    public async Task StartProject()
    {
        _project = await SandboxProject.StartAsync();
        _vmKey = await KeyAsync("purchase-predict-vm");
        var ciKey = await KeyAsync("purchase-predict-ci");
        _vm = await _project.StartMetadataAsync(_vmKey, "storage-ro");
        _storage = await _project.StartPrivateStorageAsync([SandboxProject.Email("purchase-predict-vm")], [SandboxProject.Email("purchase-predict-ci")]);
        await _storage.UploadAsync(Bucket, $"{ArtifactDirectory}/model.lgb", await File.ReadAllBytesAsync(Repo.DemoModel),
            await SandboxProject.AccessTokenAsync(ciKey, "https://www.googleapis.com/auth/cloud-platform"));
        _mlflow = await _project.StartMlflowAsync();
        using var mlflow = new MlflowClient(_mlflow.Address);
        await mlflow.SetAliasAsync("purchase_predict", "staging", await mlflow.RegisterAsync("purchase_predict", $"gs://{Bucket}/{ArtifactDirectory}", "Staging"));
    }

    [OneTimeTearDown]
    public async Task StopProject()
    {
        await _project.DisposeAsync();
    }

    private async Task<string> KeyAsync(string account)
    {
        var key = await _project.CreateKeyAsync(account);
        _keys.Add(key);
        return key;
    }

    /// <summary>The tutorial's env file for the sandbox, plus the credential's variables.</summary>
    private Dictionary<string, string> Environment(params (string Key, string Value)[] credential)
    {
        var environment = new Dictionary<string, string>
        {
            ["MLFLOW_SERVER"] = _mlflow.Address.ToString(),
            ["MLFLOW_REGISTRY_NAME"] = "purchase_predict",
            ["ENV"] = "staging",
            ["STORAGE_ENDPOINT"] = _storage.Address.ToString(),
        };
        foreach (var (key, value) in credential) environment[key] = value;
        return environment;
    }

    private async Task AssertServesTheModelAsync(ServiceBuild build, Dictionary<string, string> environment)
    {
        await using var service = ServiceProcess.Start(build, environment);
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var response = await service.Http.PostAsync("predict", Bodies.Json(await File.ReadAllBytesAsync(Repo.DemoRequest)));
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Repo.DemoExpected))!["predictions"]!.ToJsonString();
        var loaded = $"models:/purchase_predict@staging (or stage staging) (version 1) -> {Model}";
        var stdout = await service.WaitForStdoutAsync(line => line.Contains(loaded));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
            Assert.That(stdout, Has.Some.Contains(loaded));
        }
        AssertNoSecret(service.Stdout.Concat(service.Stderr).Concat(_project.Output));
    }

    private async Task<string> FailureAsync(ServiceBuild build, Dictionary<string, string> environment)
    {
        await using var service = ServiceProcess.Start(build, environment);
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(ExitCodes.ModelLoadFailed), string.Join('\n', service.Stderr));
        AssertNoSecret(service.Stdout.Concat(service.Stderr));
        Assert.That(service.Stderr, Has.Count.EqualTo(1), "one line");
        return service.Stderr[0];
    }

    /// <summary>No access token (Google's and the sandbox's start with ya29.), no JWT (base64 of '{"'), no key.</summary>
    private void AssertNoSecret(IEnumerable<string> output)
    {
        var text = string.Join('\n', output);
        var keyLines = _keys.SelectMany(key => ((string)JsonNode.Parse(File.ReadAllText(key))!["private_key"]!).Split('\n'))
            .Where(line => line.Length > 20 && !line.StartsWith("-----", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Contain("ya29."));
            Assert.That(JwtLike().IsMatch(text), Is.False, "a JWT in the output");
            Assert.That(text, Does.Not.Contain("PRIVATE KEY"));
            Assert.That(keyLines.Where(text.Contains), Is.Empty, "a line of a private key in the output");
        }
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.")]
    private static partial Regex JwtLike();

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task VmServiceAccount_ThroughTheMetadataServer_LoadsTheModelViaMlflowFromThePrivateBucket(string build) =>
        await AssertServesTheModelAsync(await Build(build), Environment(("GCE_METADATA_HOST", _vm.Address.Authority)));

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task ServiceAccountKeyFile_LoadsTheModelViaMlflowFromThePrivateBucket(string build) =>
        await AssertServesTheModelAsync(await Build(build), Environment(("GOOGLE_APPLICATION_CREDENTIALS", await KeyAsync("purchase-predict-vm"))));

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task KeyFileNotJson_StopsTheService_SayingWhichFile(string build)
    {
        var key = Path.Combine(_project.Folder, "keys", "not-json.json");
        await File.WriteAllTextAsync(key, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
        var line = await FailureAsync(await Build(build), Environment(("GOOGLE_APPLICATION_CREDENTIALS", key)));
        Assert.That(line, Does.Contain($"GOOGLE_APPLICATION_CREDENTIALS={key} is not JSON (line 1)").And.Contain("gcloud iam service-accounts keys create"));
        Assert.That(line, Does.Not.Contain("MIIEvQ"));
    }

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task KeyFileMissing_StopsTheService_SayingWhatToMount(string build)
    {
        var key = Path.Combine(_project.Folder, "keys", "absent.json");
        var line = await FailureAsync(await Build(build), Environment(("GOOGLE_APPLICATION_CREDENTIALS", key)));
        Assert.That(line, Does.Contain($"GOOGLE_APPLICATION_CREDENTIALS={key}: no such file; mount the service-account key file there"));
    }

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task KeyWhoseSignatureIsRefused_StopsTheService_NamingKeyAccountAndBucket(string build)
    {
        // The account and key id are registered; the private key is not that key (deleted, or a copy gone wrong).
        var forged = JsonNode.Parse(await File.ReadAllTextAsync(await KeyAsync("purchase-predict-vm")))!;
        using var other = System.Security.Cryptography.RSA.Create(2048);
        forged["private_key"] = other.ExportPkcs8PrivateKeyPem() + "\n";
        var key = Path.Combine(_project.Folder, "keys", $"forged-{build}.json");
        await File.WriteAllTextAsync(key, forged.ToJsonString());
        _keys.Add(key);
        var line = await FailureAsync(await Build(build), Environment(("GOOGLE_APPLICATION_CREDENTIALS", key)));
        Assert.That(line, Does.Contain(
            $"{Model}: Cloud Storage at {_storage.Address.ToString().TrimEnd('/')} refused key {forged["private_key_id"]} of {SandboxProject.Email("purchase-predict-vm")} " +
            $"(GOOGLE_APPLICATION_CREDENTIALS={key}) (HTTP 401: Invalid Credentials): the key was deleted or disabled"));
    }

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task MetadataServerDown_StopsTheService_SayingWhichCredentialsItLooked(string build)
    {
        var nowhere = $"127.0.0.1:{FreePort.Next()}";
        var line = await FailureAsync(await Build(build), Environment(("GCE_METADATA_HOST", nowhere)));
        Assert.That(line, Does.Contain(
            $"no Google credential found: GOOGLE_APPLICATION_CREDENTIALS is not set and the metadata server {nowhere} (GCE_METADATA_HOST) does not answer; " +
            "run on a GCP VM with a service account, or set GOOGLE_APPLICATION_CREDENTIALS"));
    }

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task BucketAnswers403ToAnAccountWithoutAccess_StopsTheService_SayingWhatToGrant(string build)
    {
        var key = await KeyAsync("someone-outside");
        var line = await FailureAsync(await Build(build), Environment(("GOOGLE_APPLICATION_CREDENTIALS", key)));
        Assert.That(line, Does.Contain($"{Model}: key ").And.Contain($" of {SandboxProject.Email("someone-outside")} (GOOGLE_APPLICATION_CREDENTIALS={key}) may not read it (HTTP 403: ")
            .And.EndWith($"grant the account roles/storage.objectViewer on gs://{Bucket}"));
    }

    [TestCase("ready-to-run")]
    [TestCase("aot")]
    public async Task BucketAnswers403ToAVmWithoutStorageScope_StopsTheService_SayingWhichScope(string build)
    {
        var vm = await _project.StartMetadataAsync(_vmKey, "logging-write");
        var line = await FailureAsync(await Build(build), Environment(("GCE_METADATA_HOST", vm.Address.Authority)));
        Assert.That(line, Does.Contain($"{Model}: {SandboxProject.Email("purchase-predict-vm")} (the VM's service account, from the metadata server {vm.Address.Authority} (GCE_METADATA_HOST)) " +
            "may not read it (HTTP 403: Request had insufficient authentication scopes.)").And.Contain("give the VM the storage-ro or cloud-platform access scope"));
    }
}
