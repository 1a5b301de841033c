using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PurchasePredict.Pipeline.Tests;

// tools/RegistryToken, built and run with the pipeline's own command lines (DotNet.BuildTool and
// DotNet.RegistryToken, as Push does), against stand-ins on 127.0.0.1: a GCE metadata server (found
// through GCE_METADATA_HOST) and an OAuth token endpoint (a service-account key's token_uri). The build
// starts from an empty NuGet cache, as on a fresh machine, so a tool that cannot restore its
// dependencies there fails here.
[NonParallelizable]
public class RegistryTokenTests
{
    private const string Token = "ya29.stand-in-token";
    private string _work = "";
    private string _tool = "";
    private LocalHttpServer _google = null!;
    private RSA _key = null!;

    [OneTimeSetUp]
    public void BuildTheToolFromAnEmptyNuGetCache()
    {
        _work = Directory.CreateTempSubdirectory("registry-token-").FullName;
        var output = Path.Combine(_work, "tool");
        var build = DotNet.BuildTool(DeployTestData.Paths.RegistryTokenProject, output);
        var result = Run(ShellCommand.Of("env", ["NUGET_PACKAGES=" + Path.Combine(_work, "nuget"), build.Program, .. build.ArgumentValues()]));
        Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);
        _tool = Path.Combine(output, "registry-token.dll");
        _key = RSA.Create(2048);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _key?.Dispose();
        new CommandRunner(_ => { }).DeleteDirectory(_work);
    }

    [SetUp]
    public void StartStandIns() => _google = new LocalHttpServer(Answer);

    [TearDown]
    public void StopStandIns() => _google.Dispose();

    [Test]
    public void ApplicationDefault_OnAVm_PrintsTheMetadataServersToken_AndNothingElse()
    {
        var result = RunTool(RegistryAuth.ApplicationDefault, null, ("GCE_METADATA_HOST", $"127.0.0.1:{_google.Port}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.TrimEnd()), Is.EqualTo((0, Token)), result.StandardError);
            Assert.That(_google.Seen.Select(r => r.PathAndQuery), Has.Some.StartsWith("/computeMetadata/v1/instance/service-accounts/default/token"));
        }
    }

    [Test]
    public void ServiceAccountKey_AsksTheKeysTokenEndpoint_WithASignedAssertionForCloudPlatform()
    {
        var result = RunTool(RegistryAuth.ServiceAccountKey, KeyFile());
        Assert.That((result.ExitCode, result.StandardOutput.TrimEnd()), Is.EqualTo((0, Token)), result.StandardError);
        var form = _google.Seen.Single(r => r.PathAndQuery == "/token").Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => WebUtility.UrlDecode(p[1]));
        var parts = form["assertion"].Split('.');
        var claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(form["grant_type"], Is.EqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer"));
            Assert.That(claims.GetProperty("scope").GetString(), Is.EqualTo("https://www.googleapis.com/auth/cloud-platform"));
            Assert.That(claims.GetProperty("iss").GetString(), Is.EqualTo("pipeline@e2e-project.iam.gserviceaccount.com"));
            Assert.That(_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True);
        }
    }

    [Test]
    public void NoCredentialsAnywhere_FailsWithOneLine_AndPrintsNoToken()
    {
        var result = RunTool(RegistryAuth.ApplicationDefault, null, ("GCE_METADATA_HOST", $"127.0.0.1:{FreePort.Next()}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Does.StartWith("registry-token: no access token:"));
        }
    }

    [Test]
    public void ATokenEndpointThatRefuses_FailsWithoutLeakingTheKey()
    {
        var result = RunTool(RegistryAuth.ServiceAccountKey, KeyFile(tokenPath: "/refuse"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput), Is.EqualTo((1, "")));
            Assert.That(result.StandardError, Does.Contain("no access token").And.Not.Contain("PRIVATE KEY"));
        }
    }

    [Test]
    public void AKeyWhosePrivateKeyIsBroken_FailsWithOneLine_NotAStackTrace()
    {
        var key = KeyFile();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(key))!;
        json["private_key"] = "-----BEGIN PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END PRIVATE KEY-----\n";
        File.WriteAllText(key, json.ToJsonString());
        var result = RunTool(RegistryAuth.ServiceAccountKey, key);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput), Is.EqualTo((1, "")));
            Assert.That(result.StandardError.TrimEnd().Split('\n'), Is.EqualTo(new[] { "registry-token: no access token: the key file's private_key is not a usable RSA key (Invalid sequence, too long.)" }));
        }
    }

    // The sandbox's command line: its metadata server, whatever key file this machine's environment names.
    [Test]
    public void ApplicationDefault_WithTheSandboxsMetadataServer_IgnoresAKeyFileInTheEnvironment()
    {
        var home = Path.Combine(_work, $"home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        var token = DotNet.RegistryToken(_tool, RegistryAuth.ApplicationDefault, null, $"127.0.0.1:{_google.Port}");
        var result = Run(ShellCommand.Of("env", ["GOOGLE_APPLICATION_CREDENTIALS=/nonexistent/key.json", "HOME=" + home, token.Program, .. token.ArgumentValues()]));
        Assert.That((result.ExitCode, result.StandardOutput.TrimEnd()), Is.EqualTo((0, Token)), result.StandardError);
    }

    [Test]
    public void BadArguments_PrintUsage() =>
        Assert.That(Run(ShellCommand.Of("dotnet", _tool, "gcloud")).ExitCode, Is.EqualTo(2));

    // Runs the tool as Push does, in an environment with no other Google credentials: no ADC variable,
    // a HOME without gcloud's files, and the metadata server only where the test puts it.
    private CommandResult RunTool(RegistryAuth auth, string? keyFile, params (string Name, string Value)[] variables)
    {
        var home = Path.Combine(_work, $"home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        var token = DotNet.RegistryToken(_tool, auth, keyFile);
        var environment = new[] { "-u", "GOOGLE_APPLICATION_CREDENTIALS", "-u", "GCE_METADATA_HOST", "HOME=" + home, "CLOUDSDK_CONFIG=" + home }
            .Concat(variables.Select(v => v.Name + "=" + v.Value));
        return Run(ShellCommand.Of("env", [.. environment, token.Program, .. token.ArgumentValues()]));
    }

    private string KeyFile(string tokenPath = "/token")
    {
        var file = Path.Combine(_work, $"key-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "e2e-project",
            ["private_key_id"] = "k1",
            ["private_key"] = _key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "pipeline@e2e-project.iam.gserviceaccount.com",
            ["client_id"] = "1",
            ["token_uri"] = _google.Url + tokenPath,
        }));
        return file;
    }

    // The metadata server answers its detection ping and the token URL, both with Metadata-Flavor:
    // Google; the token endpoint answers a JWT-bearer grant; /refuse says no.
    private static StandInAnswer Answer(SeenRequest request)
    {
        var path = request.PathAndQuery;
        var flavor = ("Metadata-Flavor", "Google");
        return path switch
        {
            _ when path.StartsWith("/refuse") => new(400, """{"error": "invalid_grant", "error_description": "stand-in says no"}""", flavor),
            _ when path.StartsWith("/token") || path.StartsWith("/computeMetadata/v1/instance/service-accounts/default/token") =>
                new(200, $$"""{"access_token": "{{Token}}", "expires_in": 3599, "token_type": "Bearer"}""", flavor),
            _ when path.StartsWith("/computeMetadata/v1/universe/universe-domain") => new(200, "googleapis.com", flavor),
            _ => new(200, "", flavor),
        };
    }

    private static byte[] Base64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + (4 - text.Length % 4) % 4, '='));

    private static CommandResult Run(ShellCommand command) =>
        new CommandRunner(_ => { }).TryRun(command, quiet: true, timeout: TimeSpan.FromMinutes(5));
}
