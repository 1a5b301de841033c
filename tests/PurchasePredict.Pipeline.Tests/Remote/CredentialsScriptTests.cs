namespace PurchasePredict.Pipeline.Tests;

// build/remote/vm-credentials.sh with a real shell and real curl against a metadata server on 127.0.0.1;
// docker is a fake that records its calls and what it read on stdin. The key file checks use setpriv
// as the container's user, which needs root (CI runs as root).
public class CredentialsScriptTests
{
    private const string Image = "127.0.0.1:5000/p/purchase_predict_api@sha256:1";
    private const string Token = "ya29.stand-in-token";
    private const string Account = "vm@p.iam.gserviceaccount.com";
    private ScriptBench _bench = null!;
    private LocalHttpServer _metadata = null!;
    private (int Status, string Body) _tokenAnswer;

    private string Metadata => $"127.0.0.1:{_metadata.Port}";

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        _tokenAnswer = (200, $$"""{"access_token": "{{Token}}", "expires_in": 3599, "token_type": "Bearer"}""");
        _metadata = new LocalHttpServer(request => request.PathAndQuery.EndsWith("/email")
            ? new StandInAnswer(200, Account, ("Metadata-Flavor", "Google"))
            : new StandInAnswer(_tokenAnswer.Status, _tokenAnswer.Body, ("Metadata-Flavor", "Google")));
        Docker(imageThere: false, loginRefused: false);
    }

    [TearDown]
    public void Dispose()
    {
        _metadata.Dispose();
        _bench.Dispose();
    }

    [Test]
    public void Login_TheVmsTokenGoesToDockerOnStdin_NeverOnACommandLineOrTheOutput()
    {
        var result = Run(Metadata, "");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(_bench.Calls, Is.EqualTo(new[] { $"docker image inspect {Image}", "docker login --username oauth2accesstoken --password-stdin 127.0.0.1:5000" }));
            Assert.That(File.ReadAllText(_bench["stdin"]), Is.EqualTo(Token));
            Assert.That(result.StandardOutput + result.StandardError, Does.Not.Contain(Token));
            Assert.That(_metadata.Seen.Select(r => r.PathAndQuery), Has.Some.EqualTo("/computeMetadata/v1/instance/service-accounts/default/token"));
        }
    }

    [Test]
    public void Login_WhenTheImageIsAlreadyThere_AsksForNoToken()
    {
        Docker(imageThere: true, loginRefused: false);
        var result = Run(Metadata, "");
        Assert.That((result.ExitCode, _metadata.Seen.Count, _bench.Calls.Count), Is.EqualTo((0, 0, 1)), result.StandardError);
    }

    [Test]
    public void NoMetadataServer_DockerIsAlreadyAuthenticated_NothingToDo()
    {
        var result = Run("", "");
        Assert.That((result.ExitCode, _bench.Calls.Count), Is.EqualTo((0, 0)), result.StandardError);
    }

    [Test]
    public void MetadataServerDown_Exit3_OneLineNamingTheVmTheServerAndTheRegistry()
    {
        var down = $"127.0.0.1:{FreePort.Next()}";
        var result = Run(down, "");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.StandardError.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(result.StandardError, Does.StartWith($"vm1: no access token for the VM's service account (metadata server {down}): curl: (7)")
                .And.Contain("docker cannot pull from 127.0.0.1:5000, nothing was pulled or stopped"));
            Assert.That(_bench.Calls, Has.None.Contains("login"));
        }
    }

    [Test]
    public void MetadataServerRefuses_Exit3_WithItsReason()
    {
        _tokenAnswer = (500, "the token endpoint refuses the VM's key: invalid_grant: Invalid JWT Signature.");
        var result = Run(Metadata, "");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.StandardError, Does.Contain("the token endpoint refuses the VM's key: invalid_grant: Invalid JWT Signature."));
            Assert.That(_bench.Calls, Has.None.Contains("login"));
        }
    }

    [Test]
    public void RegistryRefusesTheToken_Exit4_NamingTheAccountAndWhatToGrant()
    {
        Docker(imageThere: false, loginRefused: true);
        var result = Run(Metadata, "");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(4));
            Assert.That(result.StandardError, Does.StartWith($"vm1: the registry 127.0.0.1:5000 refused the token of {Account}, the VM's service account (metadata server {Metadata}): Error response from daemon: unauthorized")
                .And.Contain("roles/artifactregistry.reader"));
            Assert.That(result.StandardError, Does.Not.Contain(Token));
        }
    }

    [Test]
    public void KeyFile_Missing_Exit5_BeforeAnyLogin()
    {
        var result = Run(Metadata, _bench["etc/key.json"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(5));
            Assert.That(result.StandardError, Does.Contain($"vm1: the service's key file {_bench["etc/key.json"]} (deploy.googleCredentialsFile) is not on the VM"));
            Assert.That(_bench.Calls, Is.Empty);
        }
    }

    [TestCase("root:root", "0600", 5)]
    [TestCase("root:1654", "0440", 0)]
    public void KeyFile_MustBeReadableByTheContainersUser(string owner, string mode, int exitCode)
    {
        if (System.Environment.UserName != "root") Assert.Ignore("the check reads the file as another user: run as root (CI does).");
        var key = _bench.Write("etc/key.json", "{}");
        // The container's user must reach the file: the bench's folders are private to their owner.
        SandboxVm.Local("chmod", "0755", _bench.Folder, _bench["etc"]);
        SandboxVm.Local("chown", owner, key);
        SandboxVm.Local("chmod", mode, key);
        var result = Run("", key);
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.StandardError);
        if (exitCode != 0) Assert.That(result.StandardError, Does.Contain("is not readable by the container's user 1654"));
    }

    private CommandResult Run(string metadata, string keyFile) =>
        _bench.Run("vm-credentials.sh", "vm1", Image, metadata, keyFile, "1654");

    // docker image inspect answers whether the image is there; docker login keeps what it read on stdin.
    private void Docker(bool imageThere, bool loginRefused) =>
        _bench.Fake("docker", $$"""
            case "$1" in
              image) exit {{(imageThere ? 0 : 1)}} ;;
              login) cat > '{{_bench["stdin"]}}'; {{(loginRefused ? "echo 'Error response from daemon: unauthorized: the token is not valid' >&2; exit 1" : "echo 'Login Succeeded'")}} ;;
            esac
            """);
}
