using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary><c>gcp-sandbox create-key</c>: key files in Google's layout, written once, registered with the token endpoint.</summary>
[Parallelizable(ParallelScope.All)]
public class CreateKeyTests
{
    private static readonly string[] GoogleKeyFields =
        ["type", "project_id", "private_key_id", "private_key", "client_email", "client_id", "auth_uri", "token_uri",
         "auth_provider_x509_cert_url", "client_x509_cert_url", "universe_domain"];

    [Test]
    public async Task CreateKey_WritesGooglesLayout_ForItsOwnerOnly_ThatGooglesLibraryReads()
    {
        await using var project = await SandboxProject.StartAsync();
        var file = await project.CreateKeyAsync("purchase-predict-ci");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        var credential = CredentialFactory.FromFile<ServiceAccountCredential>(file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.Select(field => field.Key), Is.EqualTo(GoogleKeyFields));
            Assert.That((string?)json["type"], Is.EqualTo("service_account"));
            Assert.That((string?)json["private_key"], Does.StartWith("-----BEGIN PRIVATE KEY-----\n").And.EndWith("-----END PRIVATE KEY-----\n"));
            Assert.That((string?)json["private_key_id"], Does.Match("^[0-9a-f]{40}$"));
            Assert.That((string?)json["client_id"], Does.Match("^[0-9]{21}$"));
            Assert.That((string?)json["token_uri"], Is.EqualTo(project.TokenUri.AbsoluteUri));
            if (!OperatingSystem.IsWindows()) Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(credential.Id, Is.EqualTo(SandboxProject.Email("purchase-predict-ci")));
            Assert.That(credential.KeyId, Is.EqualTo((string?)json["private_key_id"]));
            Assert.That(credential.ProjectId, Is.EqualTo(SandboxProject.ProjectId));
        }
    }

    [Test]
    public async Task CreateKey_SecondKeyOfAnAccount_KeepsItsClientId()
    {
        await using var project = await SandboxProject.StartAsync();
        var first = JsonNode.Parse(await File.ReadAllTextAsync(await project.CreateKeyAsync("purchase-predict-ci")))!;
        var second = JsonNode.Parse(await File.ReadAllTextAsync(await project.CreateKeyAsync("purchase-predict-ci")))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)second["client_id"], Is.EqualTo((string?)first["client_id"]));
            Assert.That((string?)second["private_key_id"], Is.Not.EqualTo((string?)first["private_key_id"]));
        }
    }

    [Test]
    public async Task CreateKey_ExistingFile_IsNeverOverwritten()
    {
        await using var project = await SandboxProject.StartAsync();
        var file = Path.Combine(project.Folder, "keys", "taken.json");
        await File.WriteAllTextAsync(file, "mine");
        var (exitCode, _, stderr) = await StandInProcess.RunGcpSandboxAsync("create-key", "--state", project.State,
            "--account", SandboxProject.Email("purchase-predict-ci"), "--token-uri", project.TokenUri.AbsoluteUri, "--out", file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain($"{file} exists; a key file is never overwritten"));
            Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo("mine"));
        }
    }

    [TestCase("vm@purchase-predict-sandbox.iam.gserviceaccount.com", "is not a service-account email")]
    [TestCase("purchase-predict-vm@gmail.com", "is not a service-account email")]
    [TestCase("../../etc/passwd@purchase-predict-sandbox.iam.gserviceaccount.com", "is not a service-account email")]
    public async Task CreateKey_BadAccount_WritesNothing(string account, string message)
    {
        await using var project = await SandboxProject.StartAsync();
        var file = Path.Combine(project.Folder, "keys", "key.json");
        var (exitCode, _, stderr) = await StandInProcess.RunGcpSandboxAsync("create-key", "--state", project.State,
            "--account", account, "--token-uri", project.TokenUri.AbsoluteUri, "--out", file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain(message));
            Assert.That(File.Exists(file), Is.False);
            Assert.That(Directory.Exists(Path.Combine(project.State, "service-accounts")), Is.False);
        }
    }

    [Test]
    public async Task CreateKey_TwoAtOnceForOneAccount_BothKeysWork()
    {
        await using var project = await SandboxProject.StartAsync();
        var keys = await Task.WhenAll(project.CreateKeyAsync("purchase-predict-ci"), project.CreateKeyAsync("purchase-predict-ci"));
        var tokens = await Task.WhenAll(keys.Select(key => SandboxProject.AccessTokenAsync(key, GoogleScopes.CloudPlatform)));
        Assert.That(tokens, Has.All.StartWith("ya29."));
    }
}
