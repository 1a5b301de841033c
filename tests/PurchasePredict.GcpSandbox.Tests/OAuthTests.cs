using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>
/// <c>gcp-sandbox oauth</c>: the token endpoint, driven by Google.Apis.Auth's own ServiceAccountCredential
/// (the code the pipeline and the service run), and tokeninfo.
/// </summary>
public class OAuthTests
{
    private SandboxProject _project = null!;
    private string _key = null!;

    [OneTimeSetUp]
    public async Task StartProject()
    {
        _project = await SandboxProject.StartAsync();
        _key = await _project.CreateKeyAsync("purchase-predict-ci");
    }

    [OneTimeTearDown]
    public async Task StopProject() => await _project.DisposeAsync();

    [Test]
    public async Task TokenEndpoint_GivesGooglesCredentialAToken_ThatTokenInfoVouchesFor()
    {
        var token = await SandboxProject.AccessTokenAsync(_key, GoogleScopes.CloudPlatform, GoogleScopes.StorageReadOnly);
        var info = await TokenInfoClient.AskAsync(_project.TokenInfo, token);
        var clientId = (string?)JsonNode.Parse(await File.ReadAllTextAsync(_key))!["client_id"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(token, Does.StartWith("ya29."));
            Assert.That((string?)info!["email"], Is.EqualTo(SandboxProject.Email("purchase-predict-ci")));
            Assert.That((string?)info["scope"], Is.EqualTo($"{GoogleScopes.CloudPlatform} {GoogleScopes.StorageReadOnly}"));
            Assert.That((string?)info["azp"], Is.EqualTo(clientId));
            Assert.That(int.Parse((string)info["expires_in"]!), Is.InRange(3500, 3600));
        }
    }

    [Test]
    public async Task TokenEndpoint_KeyFileWithAnotherPrivateKey_IsRefusedForItsSignature()
    {
        // The key id and account are right, the private key is not the registered one: a broken signing path.
        var forged = JsonNode.Parse(await File.ReadAllTextAsync(_key))!;
        using var other = RSA.Create(2048);
        forged["private_key"] = other.ExportPkcs8PrivateKeyPem() + "\n";
        var file = Path.Combine(_project.Folder, "keys", "forged.json");
        await File.WriteAllTextAsync(file, forged.ToJsonString());
        var refused = Assert.ThrowsAsync<TokenResponseException>(() => SandboxProject.AccessTokenAsync(file, GoogleScopes.CloudPlatform));
        Assert.That((refused!.Error.Error, refused.Error.ErrorDescription), Is.EqualTo(("invalid_grant", "Invalid JWT Signature.")));
    }

    [Test]
    public async Task TokenEndpoint_Restarted_StillAcceptsTheTokensItIssued()
    {
        await using var project = await SandboxProject.StartAsync();
        var token = await SandboxProject.AccessTokenAsync(await project.CreateKeyAsync("purchase-predict-vm"), GoogleScopes.StorageReadOnly);
        await project.RestartOAuthAsync();
        Assert.That((string?)(await TokenInfoClient.AskAsync(project.TokenInfo, token))?["email"], Is.EqualTo(SandboxProject.Email("purchase-predict-vm")));
    }

    [Test]
    public async Task TokenInfo_SelfSignedJwtOfARegisteredKey_IsTheAccounts()
    {
        // What Google.Cloud.Storage.V1 sends with a key file (UseJwtAccessWithScopes): no token endpoint involved.
        var credential = CredentialFactory.FromFile<ServiceAccountCredential>(_key).WithUseJwtAccessWithScopes(true);
        var jwt = await ((ServiceAccountCredential)credential.ToGoogleCredential().CreateScoped(GoogleScopes.StorageReadOnly).UnderlyingCredential)
            .GetAccessTokenForRequestAsync("http://storage.invalid/");
        var info = await TokenInfoClient.AskAsync(_project.TokenInfo, jwt);
        Assert.That(((string?)info?["email"], (string?)info?["scope"]), Is.EqualTo((SandboxProject.Email("purchase-predict-ci"), GoogleScopes.StorageReadOnly)));
    }

    [Test]
    public async Task TokenInfo_TamperedOrUnknownTokens_AreInvalid()
    {
        var token = await SandboxProject.AccessTokenAsync(_key, GoogleScopes.StorageReadOnly);
        var payload = token["ya29.sandbox.".Length..token.LastIndexOf('.')];
        var widened = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)).Replace("read_only", "full_control");
        var tampered = token.Replace(payload, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(widened)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await TokenInfoClient.AskAsync(_project.TokenInfo, tampered), Is.Null, "payload changed, signature kept");
            Assert.That(await TokenInfoClient.AskAsync(_project.TokenInfo, token[..^2]), Is.Null, "signature cut");
            Assert.That(await TokenInfoClient.AskAsync(_project.TokenInfo, "ya29.a0AfH6SMB-made-up"), Is.Null);
            Assert.That(await TokenInfoClient.AskAsync(_project.TokenInfo, ""), Is.Null);
        }
    }

    [Test]
    public async Task TokenEndpoint_OtherGrantType_IsUnsupported()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(_project.TokenUri, new FormUrlEncodedContent(
            [KeyValuePair.Create("grant_type", "client_credentials"), KeyValuePair.Create("assertion", "x")]));
        Assert.That((response.StatusCode, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]),
            Is.EqualTo((HttpStatusCode.BadRequest, "unsupported_grant_type")));
    }
}
