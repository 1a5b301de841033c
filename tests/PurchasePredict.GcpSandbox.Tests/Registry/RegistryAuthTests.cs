using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Tests.Registry;

/// <summary>
/// <c>gcp-sandbox registry-auth</c> asked directly, as docker asks it: what it refuses, and what the
/// registry tokens it signs say (checked against the certificate the registry trusts). The same with
/// the real docker and docker-registry: <see cref="RegistryLoginTests"/>.
/// </summary>
public class RegistryAuthTests
{
    private const string Service = "127.0.0.1:5999";
    private const string Repository = "purchase-predict-sandbox/purchase_predict_api";
    private SandboxProject _project = null!;
    private StandInProcess _auth = null!;
    private readonly HttpClient _http = new();
    private string _ci = null!, _vm = null!, _vmWithoutStorage = null!, _outsider = null!;

    [OneTimeSetUp]
    public async Task StartRealm()
    {
        _project = await SandboxProject.StartAsync();
        _ci = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("purchase-predict-ci"), GoogleScopes.CloudPlatform);
        var vmKey = await _project.CreateKeyAsync("purchase-predict-vm");
        _vm = await SandboxProject.AccessTokenAsync(vmKey, GoogleScopes.StorageReadOnly);
        _vmWithoutStorage = await SandboxProject.AccessTokenAsync(vmKey, GoogleScopes.LoggingWrite);
        _outsider = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("someone-outside"), GoogleScopes.CloudPlatform);
        _auth = await _project.StartRegistryAuthAsync(Service, [SandboxProject.Email("purchase-predict-vm")], [SandboxProject.Email("purchase-predict-ci")]);
    }

    [OneTimeTearDown]
    public async Task StopRealm()
    {
        _http.Dispose();
        await _project.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> AskAsync(string? user, string? password, string query = $"service={Service}&scope=repository:{Repository}:pull,push,delete")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_auth.Address, "token?" + query));
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The registry token's claims, once its signature is checked against the certificate in its x5c header, which must be the one the registry trusts.</summary>
    private async Task<JsonObject> VerifiedClaimsAsync(JsonNode answer)
    {
        var jwt = SignedJwt.TryParse((string)answer["token"]!)!;
        var trusted = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(_project.State, "registry-auth", "token-signer.crt")));
        using var sent = X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)jwt.Header["x5c"]![0]!));
        Assert.That(sent.RawData, Is.EqualTo(trusted.RawData), "x5c is the trusted certificate");
        using var key = trusted.GetRSAPublicKey()!;
        Assert.That(jwt.IsSignedBy(key), Is.True, "signed by the certificate's key");
        return jwt.Claims;
    }

    private static string[] Actions(JsonObject claims) =>
        [.. claims["access"]!.AsArray().Where(a => (string?)a!["name"] == Repository).SelectMany(a => a!["actions"]!.AsArray().Select(x => (string)x!))];

    [TestCase("purchase-predict-ci", new[] { "pull", "push", "delete" }, TestName = "Token_ForTheCiAccount_GrantsPullPushAndDelete")]
    [TestCase("purchase-predict-vm", new[] { "pull" }, TestName = "Token_ForTheVmsAccount_GrantsPullOnly")]
    [TestCase("someone-outside", new string[0], TestName = "Token_ForAnAccountWithoutRole_GrantsNothing")]
    [TestCase("vm-without-storage-scope", new string[0], TestName = "Token_ForTheVmsAccountWithoutAStorageScope_GrantsNothing")]
    public async Task Token_GrantsWhatTheAccountsRoleAndScopesAllow(string who, string[] actions)
    {
        var token = who switch { "purchase-predict-ci" => _ci, "purchase-predict-vm" => _vm, "someone-outside" => _outsider, _ => _vmWithoutStorage };
        var (status, body) = await AskAsync("oauth2accesstoken", token);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        var claims = await VerifiedClaimsAsync(body);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Actions(claims), Is.EqualTo(actions));
            // The issuer the sandbox's registry trusts (build/sandbox/RegistryConfig.cs).
            Assert.That(((string?)claims["iss"], (string?)claims["aud"]), Is.EqualTo((RegistryConfig.Issuer, Service)));
            Assert.That((long)claims["exp"]!, Is.InRange(now + 200, now + 310));
            Assert.That((string?)body["issued_at"], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        }
    }

    [TestCase(null, null, TestName = "Token_Anonymous_Is401")]
    [TestCase("oauth2accesstoken", "ya29.a0AfH6SMB-made-up", TestName = "Token_WithATokenTheSandboxDidNotIssue_Is401")]
    [TestCase("_json_key", "{}", TestName = "Token_ForAnotherUser_Is401")]
    public async Task Token_WithoutValidCredentials_Is401(string? user, string? password)
    {
        var (status, body) = await AskAsync(user, password);
        Assert.That((status, (string?)body["errors"]![0]!["code"]), Is.EqualTo((HttpStatusCode.Unauthorized, "UNAUTHORIZED")));
    }

    [Test]
    public async Task Token_ForAnotherRegistry_IsRefused()
    {
        var (status, _) = await AskAsync("oauth2accesstoken", _ci, $"service=europe-west1-docker.pkg.dev&scope=repository:{Repository}:pull");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Login_WithoutScope_GetsATokenGrantingNothing()
    {
        // What docker login asks: account and service, no scope.
        var (status, body) = await AskAsync("oauth2accesstoken", _ci, $"account=oauth2accesstoken&client_id=docker&offline_token=true&service={Service}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await VerifiedClaimsAsync(body))["access"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task TokenEndpointDown_Is503_NeverAToken()
    {
        await using var project = await SandboxProject.StartAsync();
        var token = await SandboxProject.AccessTokenAsync(await project.CreateKeyAsync("purchase-predict-ci"), GoogleScopes.CloudPlatform);
        var auth = await project.StartRegistryAuthAsync(Service, [], [SandboxProject.Email("purchase-predict-ci")]);
        await project.OAuth.DisposeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(auth.Address, $"token?service={Service}&scope=repository:{Repository}:push"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"oauth2accesstoken:{token}")));
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
