using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>
/// tools/storage-emulator with <c>--tokeninfo</c>: a private bucket. Reads need a token of a reader or
/// writer, writes a writer's; each with a storage scope. Refusals are Cloud Storage's: 401 without a
/// valid token, 403 for a valid one that may not.
/// </summary>
[NonParallelizable]
public class StorageGateTests
{
    private const string Bucket = "purchase-predict-sandbox";
    private static readonly byte[] Model = "tree\nversion=v4\n"u8.ToArray();
    private SandboxProject _project = null!;
    private StorageEmulator _storage = null!;
    private string _reader = null!, _writer = null!, _outsider = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task StartBucket()
    {
        _project = await SandboxProject.StartAsync();
        var readerKey = await _project.CreateKeyAsync("purchase-predict-vm");
        _reader = await SandboxProject.AccessTokenAsync(readerKey, GoogleScopes.StorageReadOnly);
        _writer = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("purchase-predict-ci"), GoogleScopes.CloudPlatform);
        _outsider = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("someone-outside"), GoogleScopes.CloudPlatform);
        _storage = await _project.StartPrivateStorageAsync([SandboxProject.Email("purchase-predict-vm")], [SandboxProject.Email("purchase-predict-ci")]);
        await _storage.UploadAsync(Bucket, "demo/model.txt", Model, _writer);
    }

    [OneTimeTearDown]
    public async Task StopBucket()
    {
        _http.Dispose();
        await _project.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> ReadAsync(string? token, string path = $"storage/v1/b/{Bucket}/o/demo%2Fmodel.txt?alt=media")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_storage.Address, path));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string? Reason(string body) => (string?)JsonNode.Parse(body)?["error"]?["errors"]?[0]?["reason"];

    [Test]
    public async Task Read_ByAReader_GetsTheObject() =>
        Assert.That(await ReadAsync(_reader), Is.EqualTo((HttpStatusCode.OK, "tree\nversion=v4\n")));

    [Test]
    public async Task Read_ByAWriter_GetsTheObject() =>
        Assert.That((await ReadAsync(_writer)).Status, Is.EqualTo(HttpStatusCode.OK));

    [TestCase(null, "required", TestName = "Read_Anonymous_Is401")]
    [TestCase("ya29.a0AfH6SMB-made-up", "authError", TestName = "Read_WithATokenTheSandboxDidNotIssue_Is401")]
    public async Task Read_WithoutAValidToken_Is401(string? token, string reason)
    {
        var (status, body) = await ReadAsync(token);
        Assert.That((status, Reason(body)), Is.EqualTo((HttpStatusCode.Unauthorized, reason)));
    }

    [TestCase("storage/v1/b/purchase-predict-sandbox/o/demo%2Fmodel.txt")]
    [TestCase("storage/v1/b/purchase-predict-sandbox/o")]
    [TestCase("download/storage/v1/b/purchase-predict-sandbox/o/demo%2Fmodel.txt?alt=media")]
    [TestCase("v0/b/purchase-predict-sandbox/o/demo%2Fmodel.txt?alt=media")]
    public async Task EveryReadPath_Anonymous_Is401(string path) =>
        Assert.That((await ReadAsync(null, path)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task Read_ByAnAccountWithoutAccess_Is403NamingIt()
    {
        var (status, body) = await ReadAsync(_outsider);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, Reason(body)), Is.EqualTo((HttpStatusCode.Forbidden, "forbidden")));
            Assert.That(body, Does.Contain("someone-outside@purchase-predict-sandbox.iam.gserviceaccount.com does not have storage.objects.get access"));
        }
    }

    [Test]
    public async Task Read_ByAReaderWhoseTokenHasNoStorageScope_Is403()
    {
        var token = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("purchase-predict-vm"), GoogleScopes.LoggingWrite);
        var (status, body) = await ReadAsync(token);
        Assert.That((status, Reason(body)), Is.EqualTo((HttpStatusCode.Forbidden, "insufficientPermissions")));
    }

    [Test]
    public async Task Upload_ByAReader_Is403_AndChangesNothing()
    {
        using var response = await _storage.SendUploadAsync(Bucket, "demo/model.txt", "replaced"u8.ToArray(), _reader);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await ReadAsync(_reader)).Body, Is.EqualTo("tree\nversion=v4\n"));
    }

    [Test]
    public async Task Upload_Anonymous_Is401()
    {
        using var response = await _storage.SendUploadAsync(Bucket, "other.txt", Model, null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Read_WithAnExpiredSelfSignedJwt_Is401()
    {
        // The kind of token Google.Cloud.Storage.V1 sends with a key file, but an hour old.
        var key = JsonNode.Parse(await File.ReadAllTextAsync(await _project.CreateKeyAsync("purchase-predict-vm")))!;
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem((string)key["private_key"]!);
        var past = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        var jwt = OAuth.SignedJwt.Sign(new JsonObject { ["kid"] = (string?)key["private_key_id"] },
            new JsonObject { ["iss"] = (string?)key["client_email"], ["sub"] = (string?)key["client_email"], ["scope"] = GoogleScopes.StorageReadOnly, ["iat"] = past, ["exp"] = past + 3600 }, rsa);
        Assert.That((await ReadAsync(jwt)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task TokenEndpointDown_Read_Is503_NotLetThrough()
    {
        await using var project = await SandboxProject.StartAsync();
        var reader = await SandboxProject.AccessTokenAsync(await project.CreateKeyAsync("purchase-predict-vm"), GoogleScopes.StorageReadOnly);
        var storage = await project.StartPrivateStorageAsync([SandboxProject.Email("purchase-predict-vm")], [SandboxProject.Email("purchase-predict-vm")]);
        await project.OAuth.DisposeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(storage.Address, $"storage/v1/b/{Bucket}/o"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader);
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [TestCase("--readers", "a@b.c", "--readers and --writers need --tokeninfo")]
    [TestCase("--tokeninfo", "http://127.0.0.1:1/tokeninfo", "--tokeninfo needs --readers or --writers")]
    [TestCase("--tokeninfo", "ftp://x", "is not an http(s) URL")]
    [TestCase("--bogus", "1", "unknown option --bogus")]
    public async Task BadArguments_StopTheEmulatorAtStart(string option, string value, string message)
    {
        var (exitCode, _, stderr) = await StandInProcess.RunAsync("bash", TestRepository.StorageEmulatorScript, FreePort.Next().ToString(), option, value);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
    }
}
