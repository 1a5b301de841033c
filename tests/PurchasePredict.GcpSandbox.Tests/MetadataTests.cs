using System.Net;
using Google.Apis.Auth.OAuth2;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>
/// <c>gcp-sandbox metadata</c>: a VM's metadata server, asked what Google.Apis.Auth 1.78 asks with
/// GCE_METADATA_HOST set (the detection ping, the default account's token and email, the universe domain),
/// by Google's own ComputeCredential where it can be.
/// </summary>
public class MetadataTests
{
    private const string ServiceAccountPath = "computeMetadata/v1/instance/service-accounts/default/";
    private SandboxProject _project = null!;
    private StandInProcess _metadata = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task StartVm()
    {
        _project = await SandboxProject.StartAsync();
        _metadata = await _project.StartMetadataAsync(await _project.CreateKeyAsync("purchase-predict-vm"), "storage-ro,logging-write");
    }

    [OneTimeTearDown]
    public async Task StopVm()
    {
        _http.Dispose();
        await _project.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_metadata.Address, path));
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await _http.SendAsync(request);
    }

    private static readonly (string, string) Flavor = ("Metadata-Flavor", "Google");

    [TestCase("")]
    [TestCase(ServiceAccountPath + "token")]
    [TestCase(ServiceAccountPath + "email")]
    public async Task Request_WithoutMetadataFlavor_IsForbidden_AndSaysWhy(string path)
    {
        using var response = await GetAsync(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Metadata-Flavor: Google"));
            Assert.That(response.Headers.GetValues("Metadata-Flavor"), Is.EqualTo(new[] { "Google" }));
        }
    }

    [Test]
    public async Task Request_ThroughAProxy_IsForbidden()
    {
        using var response = await GetAsync(ServiceAccountPath + "token", Flavor, ("X-Forwarded-For", "10.0.0.1"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("", "computeMetadata/\n")]
    [TestCase(ServiceAccountPath + "email", "purchase-predict-vm@purchase-predict-sandbox.iam.gserviceaccount.com")]
    [TestCase(ServiceAccountPath + "scopes", "https://www.googleapis.com/auth/devstorage.read_only\nhttps://www.googleapis.com/auth/logging.write\n")]
    [TestCase("computeMetadata/v1/instance/service-accounts/purchase-predict-vm@purchase-predict-sandbox.iam.gserviceaccount.com/email",
        "purchase-predict-vm@purchase-predict-sandbox.iam.gserviceaccount.com")]
    [TestCase("computeMetadata/v1/project/project-id", "purchase-predict-sandbox")]
    [TestCase("computeMetadata/v1/universe/universe-domain", "googleapis.com")]
    public async Task Request_WithMetadataFlavor_IsAnswered_AsGoogle(string path, string expected)
    {
        using var response = await GetAsync(path, Flavor);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
            Assert.That(response.Headers.GetValues("Metadata-Flavor"), Is.EqualTo(new[] { "Google" }));
        }
    }

    [TestCase("computeMetadata/v1/instance/service-accounts/someone-else@purchase-predict-sandbox.iam.gserviceaccount.com/token")]
    [TestCase("computeMetadata/v1/instance/attributes/ssh-keys")]
    public async Task UnknownPath_IsNotFound(string path)
    {
        using var response = await GetAsync(path, Flavor);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task GooglesComputeCredential_GetsATokenOfTheVmsAccount_WithTheVmsScopesOnly()
    {
        // Scopes asked for are capped by the VM's access scopes, as on GCE.
        var credential = new ComputeCredential(new ComputeCredential.Initializer(new Uri(_metadata.Address, ServiceAccountPath + "token").AbsoluteUri)
        {
            Scopes = [GoogleScopes.CloudPlatform],
        });
        var token = await credential.GetAccessTokenForRequestAsync();
        var info = await TokenInfoClient.AskAsync(_project.TokenInfo, token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)info?["email"], Is.EqualTo(SandboxProject.Email("purchase-predict-vm")));
            Assert.That((string?)info?["scope"], Is.EqualTo($"{GoogleScopes.StorageReadOnly} {GoogleScopes.LoggingWrite}"));
            Assert.That(credential.Token.ExpiresInSeconds, Is.InRange(3000, 3600));
        }
    }

    [Test]
    public async Task TokenEndpointDown_TokenRequest_Fails_NamingTheEndpoint()
    {
        await using var project = await SandboxProject.StartAsync();
        var metadata = await project.StartMetadataAsync(await project.CreateKeyAsync("purchase-predict-vm"), "storage-ro");
        await project.OAuth.DisposeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(metadata.Address, ServiceAccountPath + "token"));
        request.Headers.Add("Metadata-Flavor", "Google");
        using var response = await _http.SendAsync(request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"the token endpoint {project.TokenUri} does not answer"));
        }
    }

    [TestCase("storage-ro,made-up", "unknown scope 'made-up'")]
    [TestCase("", "--scopes is required")]
    public async Task BadScopes_StopTheServerAtStart(string scopes, string message)
    {
        var key = await _project.CreateKeyAsync("purchase-predict-vm");
        var (exitCode, _, stderr) = await StandInProcess.RunGcpSandboxAsync("metadata", "--key", key, "--scopes", scopes, "--port", "0");
        Assert.That((exitCode, stderr), Is.EqualTo((2, stderr)));
        Assert.That(stderr, Does.Contain(message));
    }

    [Test]
    public async Task KeyFileNotJson_StopsTheServerAtStart_WithoutQuotingIt()
    {
        var key = Path.Combine(_project.Folder, "keys", "broken.json");
        await File.WriteAllTextAsync(key, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n");
        var (exitCode, stdout, stderr) = await StandInProcess.RunGcpSandboxAsync("metadata", "--key", key, "--scopes", "storage-ro", "--port", "0");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain($"{key} is not JSON"));
            Assert.That(stdout + stderr, Does.Not.Contain("MIIEvQIBADANBg"));
        }
    }
}
