using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PurchasePredict.Pipeline.Tests;

// The sandbox as the tutorial's GCP project (issue 13), through the real ./build.sh: a private registry
// that Push logs in to with each of its credentials and each VM pulls from with its own service account;
// the service finding its model through MLflow by hostname, in a private bucket, as the VM's account or
// with a key file mounted from the VM; each credential failure said clearly, before anything running is
// touched; and no token or key anywhere. One Push and Deploy in OneTimeSetUp; every test leaves both VMs
// serving that release. docker's logins go to a folder of this fixture (DOCKER_CONFIG), never the machine's.
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class GcpSandboxEndToEndTests
{
    private static readonly SandboxVm Vm1 = SandboxVm.Vm1;
    private const string KeyOnVm = "/etc/purchase_predict_api/google-credentials.json";

    private PipelineWorkspace _workspace = null!;
    private string _scratch = null!;
    private PipelineRun _deploy = null!;
    private JsonNode _image = null!;
    private readonly List<PipelineRun> _runs = [];
    private readonly List<string> _keys = [];

    private SandboxSettings Sandbox => SandboxAccess.Settings;

    private string ImageJson => Path.Combine(_workspace.Artifacts, "image.json");

    private string Reference => (string)_image["reference"]!;

    [OneTimeSetUp]
    public async Task PushAndDeployOnce()
    {
        await SandboxAccess.PutModelAliasBackAsync();
        _workspace = PipelineWorkspace.CopyOfRepository();
        _scratch = Directory.CreateTempSubdirectory("gcp-e2e-").FullName;
        // Push's Test step is Push's business: one quick project keeps this fixture short.
        _deploy = Build(FreshDockerConfig(), "--target=Deploy", "--tests=tests/PurchasePredict.LightGbm.Tests");
        Assert.That(_deploy.ExitCode, Is.Zero, _deploy.ToString());
        _image = JsonNode.Parse(File.ReadAllText(ImageJson))!;
        _keys.AddRange([SandboxAccess.Paths.SandboxKey(SandboxAccounts.Ci), SandboxAccess.Paths.SandboxKey(SandboxAccounts.Vm)]);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _workspace?.Dispose();
        if (_scratch is not null) new CommandRunner(_ => { }).DeleteDirectory(_scratch);
    }

    [Test, Order(1)]
    public async Task Registry_RefusesAnonymousRequests_PointingAtItsLoginService()
    {
        using var anonymous = new RegistryClient(Sandbox.RegistryAddress);
        var name = ((string)_image["repository"]!)[(Sandbox.RegistryAddress.Length + 1)..];
        using var http = new HttpClient();
        using var v2 = await http.GetAsync($"http://{Sandbox.RegistryAddress}/v2/");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)v2.StatusCode, Is.EqualTo(401));
            Assert.That(v2.Headers.WwwAuthenticate.ToString(), Does.StartWith($"Bearer realm=\"{Sandbox.RegistryRealm}\""));
            Assert.That(await anonymous.TagsListStatus(name), Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
        }
        using var ci = new RegistryClient(Sandbox.RegistryAddress, SandboxAccess.CiTokenAsync);
        Assert.That(await ci.DigestOf(name, "sandbox"), Is.EqualTo((string)_image["digest"]!), "the pipeline's account reads what it pushed");
    }

    [Test, Order(1)]
    public void Push_WithApplicationDefault_LogsInThroughThePipelineMachinesMetadataServer() =>
        Assert.That(_deploy.Output, Does.Contain(
            $"Registry: logged in to {Sandbox.RegistryAddress} with Application Default Credentials: the metadata server {Sandbox.CiMetadataHost} of the machine running the pipeline, for this run only."));

    [Test, Order(2)]
    public void Push_WithoutCredentials_IsRefused_AndRecordsNothing()
    {
        var before = File.ReadAllText(ImageJson);
        var push = Build(FreshDockerConfig(), "--target=Push", "--registry-auth=none");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(push.ExitCode, Is.Not.Zero);
            Assert.That(push.Output, Does.Not.Contain("skopeo login").And.Not.Contain("> skopeo copy"));
            Assert.That(push.Output, Does.Contain($"Cannot ask {Sandbox.RegistryAddress} which image").And.Contain("unauthorized"));
            Assert.That(File.ReadAllText(ImageJson), Is.EqualTo(before));
        }
    }

    [Test, Order(2)]
    public void Push_WithTheSandboxsCiKeyFile_IsAccepted()
    {
        var push = Build(FreshDockerConfig(), "--target=Push", "--registry-auth=service-account-key");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(push.ExitCode, Is.Zero, push.ToString());
            Assert.That(push.Output, Does.Contain($"Registry: logged in to {Sandbox.RegistryAddress} with the service-account key {SandboxAccess.Paths.SandboxKey(SandboxAccounts.Ci)}"));
            Assert.That((string)JsonNode.Parse(File.ReadAllText(ImageJson))!["digest"]!, Is.EqualTo((string)_image["digest"]!));
        }
    }

    // Each credential Push can be given, broken in the way it breaks in practice: one line naming the
    // credential and the registry, nothing pushed, and neither the key nor any token in the output.
    [TestCase("key-not-json", "Error deserializing JSON credential data")]
    [TestCase("key-signed-by-another-key", "Invalid JWT Signature")]
    [TestCase("token-the-registry-refuses", "refused the access token of the service-account key")]
    [TestCase("metadata-server-down", $"no access token for 127.0.0.1:5000 from Application Default Credentials: the metadata server")]
    [Order(3)]
    public void Push_WithABrokenCredential_SaysWhichAndPushesNothing(string broken, string expected)
    {
        var before = File.ReadAllText(ImageJson);
        using var forger = new LocalHttpServer(_ => ForgedToken());
        var arguments = broken switch
        {
            "key-not-json" => KeyArguments(File.WriteAllText, "{ this is not a key"),
            "key-signed-by-another-key" => KeyArguments(WriteKey, CiKey(key => key["private_key"] = System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem())),
            "token-the-registry-refuses" => KeyArguments(WriteKey, CiKey(key => key["token_uri"] = forger.Url + "/token")),
            _ => StopCiMetadataServer(),
        };
        PipelineRun push;
        try
        {
            push = Build(FreshDockerConfig(), ["--target=Push", .. arguments]);
        }
        finally
        {
            if (broken == "metadata-server-down") Assert.That(Build(null, "--target=Sandbox").ExitCode, Is.Zero, "the Sandbox target starts it again");
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(push.ExitCode, Is.Not.Zero);
            Assert.That(push.Output, Does.Contain("Push: ").And.Contain(expected));
            Assert.That(push.Output, Does.Not.Contain("> skopeo copy"));
            Assert.That(File.ReadAllText(ImageJson), Is.EqualTo(before));
        }
    }

    [Test, Order(4)]
    public async Task Deploy_TheServiceFindsItsModelThroughMlflowsHostname_InThePrivateBucket_AsTheVmsServiceAccount()
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(_workspace.Folder, "models", "demo", "expected.json")))!["predictions"]!.ToJsonString();
        foreach (var vm in new[] { SandboxVm.Vm1, SandboxVm.Vm2 })
        {
            var env = vm.Run("cat /etc/default/purchase_predict_api");
            var metadata = vm == Vm1 ? "127.0.0.1:9181" : "127.0.0.1:9182";
            using (Assert.EnterMultipleScope())
            {
                // The tutorial's env file: MLflow's internal hostname, the registered model and its alias; no model URI, no key.
                Assert.That(env, Does.Contain("\nMLFLOW_SERVER=http://mlflow.sandbox.internal:5050\nMLFLOW_REGISTRY_NAME=purchase_predict\nENV=staging\n"));
                Assert.That(env, Does.Contain($"\nGCE_METADATA_HOST={metadata}\n"));
                Assert.That(env, Does.Not.Contain("MODEL_URI").And.Not.Contain("GOOGLE_APPLICATION_CREDENTIALS"));
                Assert.That(vm.Run("docker exec purchase_predict_api getent hosts mlflow.sandbox.internal").Trim(), Does.StartWith("127.0.0.1"));
                Assert.That(vm.Run("docker logs purchase_predict_api 2>&1"), Does.Contain(
                    "model loaded from models:/purchase_predict@staging (or stage staging) (version 1) -> gs://purchase-predict-sandbox/mlflow/"));
                Assert.That(await vm.PredictAsync(), Is.EqualTo(expected.Replace(" ", "")));
            }
        }
        using var http = new HttpClient();
        using var anonymous = await http.GetAsync($"http://127.0.0.1:9199/storage/v1/b/purchase-predict-sandbox/o");
        Assert.That((int)anonymous.StatusCode, Is.EqualTo(401), "the bucket is private: the service authenticated");
    }

    // A new release (the same program under a new label) that pp-vm1 does not have, so Deploy must pull it.
    [TestCase("metadata-server-down", "pp-vm1: no access token for the VM's service account (metadata server 127.0.0.1:9181)")]
    [TestCase("token-the-registry-refuses", "pp-vm1: the registry 127.0.0.1:5000 refused the token of purchase-predict-vm@")]
    [Order(5)]
    public async Task Deploy_AVmWithoutAValidToken_CannotPull_AndStopsBeforeTouchingTheRunningRelease(string broken, string expected)
    {
        var (image, commit) = await PushRelabelledAsync("e2e-" + broken);
        var original = File.ReadAllText(ImageJson);
        var (running, started, history) = (Vm1.RunningImage(), Vm1.ServiceStartedAt(), Vm1.History());
        SandboxAccess.StopStandIn("pp-vm1-metadata");
        using var forger = broken == "token-the-registry-refuses"
            ? new LocalHttpServer(request => request.PathAndQuery.EndsWith("/email") ? new(200, SandboxAccounts.Email(SandboxAccounts.Vm), ("Metadata-Flavor", "Google")) : ForgedToken(), 9181)
            : null;
        PipelineRun deploy;
        try
        {
            File.WriteAllText(ImageJson, JsonSerializer.Serialize(new { repository = (string)_image["repository"]!, digest = image[(image.IndexOf('@') + 1)..], commit }));
            deploy = Build(null, "--target=DeployToVms", "--exclusive", Vm1.HostsArgument("127.0.0.1:9181"));
        }
        finally
        {
            File.WriteAllText(ImageJson, original);
            forger?.Dispose();
            Assert.That(Build(null, "--target=SandboxVms").ExitCode, Is.Zero, "SandboxVms starts the VM's metadata server again");
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deploy.ExitCode, Is.Not.Zero);
            Assert.That(deploy.Output, Does.Contain(expected).And.Contain("nothing was pulled or stopped"));
            Assert.That(deploy.Output, Does.Contain("The running release was never stopped."));
            Assert.That(deploy.Output, Does.Not.Contain("< pull-image.sh"));
            Assert.That(Vm1.TryRun("docker image inspect \"$1\"", image).ExitCode, Is.Not.Zero, "the new release was not pulled");
            Assert.That((Vm1.RunningImage(), Vm1.ServiceStartedAt(), Vm1.History()), Is.EqualTo((running, started, history)));
        }
        Assert.That(await Vm1.PredictAsync(), Does.StartWith("["), "the running release still answers");
    }

    // The tutorial's server outside the project: no metadata server to ask (stopped here), a key file
    // placed on the VM by its operator, mounted read-only into the container, never in the image.
    [Test, Order(6)]
    public async Task Deploy_WithAKeyFileOnTheVm_TheServiceReadsTheBucketWithIt_MountedReadOnly()
    {
        Vm1.Install(KeyOnVm, File.ReadAllText(NewKey(SandboxAccounts.Vm)), "root:1654", "0440");
        SandboxAccess.StopStandIn("pp-vm1-metadata");
        PipelineRun deploy;
        try
        {
            deploy = Build(null, "--target=DeployToVms", "--exclusive", Vm1.HostsArgument("127.0.0.1:9181"), "--google-credentials-file=" + KeyOnVm);
        }
        finally
        {
            Assert.That(Build(null, "--target=SandboxVms").ExitCode, Is.Zero);
        }
        var env = Vm1.Run("cat /etc/default/purchase_predict_api");
        var mounts = JsonNode.Parse(Vm1.Run("docker inspect --format '{{json .Mounts}}' purchase_predict_api"))!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deploy.ExitCode, Is.Zero, deploy.ToString());
            Assert.That(env, Does.Contain("\nGOOGLE_APPLICATION_CREDENTIALS=/run/secrets/google-credentials.json\n").And.Not.Contain("GCE_METADATA_HOST"));
            Assert.That(mounts.Select(m => ((string?)m!["Source"], (string?)m["Destination"], (bool?)m["RW"])),
                Is.EqualTo(new[] { ((string?)KeyOnVm, (string?)"/run/secrets/google-credentials.json", (bool?)false) }));
            Assert.That(await Vm1.PredictAsync(), Does.StartWith("["));
        }
        RedeployVm1WithItsServiceAccount();
    }

    // What the VM's operator can get wrong with the key file: the first two are caught before anything
    // is pulled or stopped; the others only the service can tell, at its start, in the candidate container
    // that the running release outlives.
    [TestCase("missing", "is not on the VM; nothing was pulled or stopped")]
    [TestCase("root-only", "is not readable by the container's user 1654; nothing was pulled or stopped")]
    [TestCase("not-json", "GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/google-credentials.json is not JSON (line 1)")]
    [TestCase("account-without-access", "grant the account roles/storage.objectViewer on gs://purchase-predict-sandbox")]
    [Order(7)]
    public async Task Deploy_WithABrokenKeyFile_SaysWhatToFix_AndTheRunningReleaseKeepsServing(string broken, string expected)
    {
        var history = Vm1.History();
        Vm1.Run("rm -f \"$1\"", KeyOnVm);
        switch (broken)
        {
            case "root-only":
                Vm1.Install(KeyOnVm, File.ReadAllText(NewKey(SandboxAccounts.Vm)), "root:root", "0600");
                break;
            case "not-json":
                Vm1.Install(KeyOnVm, "this is not a key\n", "root:1654", "0440");
                break;
            case "account-without-access":
                Vm1.Install(KeyOnVm, File.ReadAllText(NewKey("someone-outside")), "root:1654", "0440");
                break;
        }
        var deploy = Build(null, "--target=DeployToVms", "--exclusive", Vm1.HostsArgument("127.0.0.1:9181"), "--google-credentials-file=" + KeyOnVm);
        Vm1.Run("rm -f \"$1\"", KeyOnVm);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deploy.ExitCode, Is.Not.Zero);
            Assert.That(deploy.Output, Does.Contain(expected));
            Assert.That(deploy.Output, Does.Contain("The running release was never stopped."));
            Assert.That(Vm1.History(), Is.EqualTo(history));
        }
        Assert.That(await Vm1.PredictAsync(), Does.StartWith("["));
    }

    // After every run: no access token (the sandbox's start with ya29.sandbox., the forged ones with ya29.forged-)
    // and no line of any private key, in any output, in artifacts/, in the image's layers or its metadata;
    // the sandbox's own keys are its owner's alone.
    [Test, Order(100)]
    public void NoTokenOrKey_InAnyOutput_Artifact_ImageLayer_OrImageMetadata()
    {
        var outputs = string.Join("\n", _runs.Select(r => r.Output));
        var inspect = SandboxVm.Local("docker", "image", "inspect", Reference);
        var layers = Path.Combine(_scratch, "image.tar");
        SandboxVm.Local("docker", "image", "save", "--output", layers, Reference);
        var artifacts = Directory.EnumerateFiles(_workspace.Artifacts, "*", SearchOption.AllDirectories).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secrets(outputs), Is.Empty, "in the output of ./build.sh");
            Assert.That(outputs, Does.Not.Contain("PRIVATE KEY"));
            Assert.That(Secrets(inspect), Is.Empty, "in docker image inspect");
            Assert.That(Secrets(Encoding.Latin1.GetString(File.ReadAllBytes(layers))), Is.Empty, "in the image's layers");
            Assert.That(artifacts.Where(file => Secrets(Encoding.Latin1.GetString(File.ReadAllBytes(file))).Any()), Is.Empty, "in artifacts/");
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(_keys[0])!).Select(File.GetUnixFileMode),
                Has.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the sandbox's key files");
            Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(_keys[0])!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(Path.Combine(SandboxAccess.Paths.SandboxGcp, "registry-auth", "token-signer.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(Path.Combine(SandboxAccess.Paths.SandboxGcp, "oauth", "token-secret")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    // The secrets found in text: tokens the sandbox issued or the tests forged, and lines of the private
    // keys used here (a PEM body is lines of 64 base64 characters; one pass over the text finds them all).
    private IEnumerable<string> Secrets(string text)
    {
        var keyLines = _keys.SelectMany(key => ((string?)JsonNode.Parse(File.ReadAllText(key))?["private_key"] ?? "").Split('\n'))
            .Where(line => line.Length == 64).ToHashSet();
        return Token().Matches(text).Select(m => "a token " + m.Value[..16] + "...")
            .Concat(Base64Line().Matches(text).Where(m => keyLines.Contains(m.Value)).Select(_ => "a line of a private key"));
    }

    [GeneratedRegex(@"ya29\.(sandbox\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}|forged-[0-9a-f]{32})")]
    private static partial Regex Token();

    [GeneratedRegex("[A-Za-z0-9+/]{64}")]
    private static partial Regex Base64Line();

    private PipelineRun Build(IReadOnlyDictionary<string, string>? variables, params string[] arguments)
    {
        var run = _workspace.Run(variables, arguments);
        _runs.Add(run);
        return run;
    }

    // docker logs in to a folder of its own for this run: what it is logged in to is what this run did.
    private Dictionary<string, string> FreshDockerConfig() =>
        new() { ["DOCKER_CONFIG"] = Directory.CreateDirectory(Path.Combine(_scratch, "docker-" + Guid.NewGuid().ToString("N")[..8])).FullName };

    // A token endpoint or metadata server that hands out a token the sandbox never issued.
    private static StandInAnswer ForgedToken()
    {
        var token = "ya29.forged-" + Guid.NewGuid().ToString("N");
        return new(200, $$"""{"access_token": "{{token}}", "expires_in": 3599, "token_type": "Bearer"}""", ("Metadata-Flavor", "Google"));
    }

    private string[] KeyArguments(Action<string, string> write, string content)
    {
        var file = Path.Combine(_scratch, $"key-{Guid.NewGuid():N}.json");
        write(file, content);
        return ["--registry-auth=service-account-key", "--service-account-key=" + file];
    }

    private void WriteKey(string file, string content)
    {
        File.WriteAllText(file, content);
        _keys.Add(file);
    }

    // The sandbox's CI key, changed.
    private static string CiKey(Action<JsonNode> change)
    {
        var key = JsonNode.Parse(File.ReadAllText(SandboxAccess.Paths.SandboxKey(SandboxAccounts.Ci)))!;
        change(key);
        return key.ToJsonString();
    }

    // Push alone (--exclusive): its Sandbox task would start the stopped server again, as it should.
    private string[] StopCiMetadataServer()
    {
        SandboxAccess.StopStandIn("ci-metadata");
        return ["--exclusive"];
    }

    private string NewKey(string account)
    {
        var file = SandboxAccess.CreateKey(account, Path.Combine(_scratch, $"{account}-{Guid.NewGuid():N}.json"));
        _keys.Add(file);
        return file;
    }

    private void RedeployVm1WithItsServiceAccount()
    {
        var back = Build(null, "--target=DeployToVms", "--exclusive", Vm1.HostsArgument("127.0.0.1:9181"));
        Assert.That(back.ExitCode, Is.Zero, back.ToString());
        Vm1.Run("rm -f \"$1\"", KeyOnVm);
    }

    // Builds FROM the deployed image with one more label and pushes it, logged in as the pipeline's account: its reference by digest.
    private async Task<(string Image, string Commit)> PushRelabelledAsync(string tag)
    {
        var commit = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var context = Directory.CreateDirectory(Path.Combine(_scratch, "relabel-" + tag)).FullName;
        var config = await SandboxAccess.DockerLoginAsync(FreshDockerConfig()["DOCKER_CONFIG"]);
        var tagged = $"{(string)_image["repository"]!}:{tag}";
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Reference}\nLABEL org.opencontainers.image.revision={commit}\n");
        SandboxVm.Local("docker", "--config", config, "build", "--network", "host", "--quiet", "--tag", tagged, context);
        SandboxVm.Local("docker", "--config", config, "push", "--quiet", tagged);
        var digest = SandboxVm.Local("docker", "image", "inspect", "--format", "{{index .RepoDigests 0}}", tagged).Trim();
        return (digest, commit);
    }
}
