using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>
/// Hand-made JWT assertions, each wrong in one way, sent to the token endpoint: each is refused with
/// Google's error code and a description that says what is wrong.
/// </summary>
public class AssertionTests
{
    private SandboxProject _project = null!;
    private RSA _key = null!;
    private string _keyId = null!;

    [OneTimeSetUp]
    public async Task StartProject()
    {
        _project = await SandboxProject.StartAsync();
        var keyFile = JsonNode.Parse(await File.ReadAllTextAsync(await _project.CreateKeyAsync("purchase-predict-ci")))!;
        _key = RSA.Create();
        _key.ImportFromPem((string)keyFile["private_key"]!);
        _keyId = (string)keyFile["private_key_id"]!;
    }

    [OneTimeTearDown]
    public async Task StopProject()
    {
        _key.Dispose();
        await _project.DisposeAsync();
    }

    private static JsonObject Claims(Action<JsonObject> change)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = SandboxProject.Email("purchase-predict-ci"),
            ["scope"] = GoogleScopes.CloudPlatform,
            ["aud"] = "https://oauth2.googleapis.com/token",
            ["iat"] = now,
            ["exp"] = now + 3600,
        };
        change(claims);
        return claims;
    }

    private async Task<(HttpStatusCode Status, string? Error, string? Description)> SendAsync(string assertion)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(_project.TokenUri, new FormUrlEncodedContent(
            [KeyValuePair.Create("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), KeyValuePair.Create("assertion", assertion)]));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, (string?)body["error"], (string?)body["error_description"] ?? (string?)body["access_token"]);
    }

    private Task<(HttpStatusCode, string?, string?)> SendSignedAsync(JsonObject claims) =>
        SendAsync(SignedJwt.Sign(new JsonObject { ["kid"] = _keyId }, claims, _key));

    private static void AssertRefused((HttpStatusCode Status, string? Error, string? Description) answer, string error, string description)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(answer.Error, Is.EqualTo(error));
            Assert.That(answer.Description, Does.Contain(description));
        }
    }

    [Test]
    public async Task WellFormedAssertion_ForThisEndpointsOwnUrl_GetsAToken()
    {
        var (status, _, token) = await SendSignedAsync(Claims(c => c["aud"] = _project.TokenUri.AbsoluteUri));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token, Does.StartWith("ya29."));
    }

    [TestCase("aud", "https://storage.googleapis.com/", "invalid_grant", "Failed audience check")]
    [TestCase("iss", "someone-else@purchase-predict-sandbox.iam.gserviceaccount.com", "invalid_grant", "account not found")]
    [TestCase("sub", "user@example.com", "unauthorized_client", "no domain-wide delegation")]
    [TestCase("scope", "", "invalid_scope", "Empty or missing scope")]
    [TestCase("scope", "https://www.googleapis.com/auth/made-up", "invalid_scope", "made-up")]
    public async Task Assertion_WithAWrongClaim_IsRefused(string claim, string value, string error, string description) =>
        AssertRefused(await SendSignedAsync(Claims(c => c[claim] = value)), error, description);

    [TestCase(-7200, -3600, TestName = "Assertion_Expired_IsRefused")]
    [TestCase(0, 7200, TestName = "Assertion_LongerThanAnHour_IsRefused")]
    [TestCase(3600, 4000, TestName = "Assertion_IssuedInTheFuture_IsRefused")]
    [TestCase(0, -1, TestName = "Assertion_ExpiringBeforeItIsIssued_IsRefused")]
    public async Task Assertion_OutsideItsTime_IsRefused(int issuedIn, int expiresIn)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        AssertRefused(await SendSignedAsync(Claims(c => { c["iat"] = now + issuedIn; c["exp"] = now + expiresIn; })), "invalid_grant", "short-lived");
    }

    [Test]
    public async Task Assertion_WithoutExpiry_IsRefused() =>
        AssertRefused(await SendSignedAsync(Claims(c => c.Remove("exp"))), "invalid_grant", "short-lived");

    [Test]
    public async Task Assertion_SignedWithAnotherKey_IsRefused()
    {
        using var other = RSA.Create(2048);
        AssertRefused(await SendAsync(SignedJwt.Sign(new JsonObject { ["kid"] = _keyId }, Claims(_ => { }), other)), "invalid_grant", "Invalid JWT Signature.");
    }

    [Test]
    public async Task Assertion_NamingAnUnknownKeyId_IsRefused() =>
        AssertRefused(await SendAsync(SignedJwt.Sign(new JsonObject { ["kid"] = new string('0', 40) }, Claims(_ => { }), _key)), "invalid_grant", "Invalid JWT Signature.");

    [Test]
    public async Task Assertion_WithClaimsChangedAfterSigning_IsRefused()
    {
        var signed = SignedJwt.Sign(new JsonObject { ["kid"] = _keyId }, Claims(_ => { }), _key).Split('.');
        var widened = Claims(c => c["scope"] = $"{GoogleScopes.CloudPlatform} {GoogleScopes.LoggingWrite}");
        signed[1] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(widened.ToJsonString()));
        AssertRefused(await SendAsync(string.Join('.', signed)), "invalid_grant", "Invalid JWT Signature.");
    }

    [Test]
    public async Task Assertion_UnsignedAlgNone_IsRefused()
    {
        var parts = SignedJwt.Sign(new JsonObject { ["kid"] = _keyId }, Claims(_ => { }), _key).Split('.');
        parts[0] = System.Buffers.Text.Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
        AssertRefused(await SendAsync($"{parts[0]}.{parts[1]}."), "invalid_grant", "alg must be RS256");
    }

    [TestCase("")]
    [TestCase("not-a-jwt")]
    [TestCase("a.b.c")]
    [TestCase("e30.e30")]
    public async Task Assertion_NotAJwt_IsRefused(string assertion) =>
        AssertRefused(await SendAsync(assertion), "invalid_grant", "Invalid JWT");
}
