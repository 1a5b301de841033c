using System.Net;
using System.Text;
using System.Text.Json;

namespace PurchasePredict.Pipeline.Tests;

// ./build.sh --target=Push for real, against the sandbox (Docker engine, registry on 127.0.0.1:5000),
// from a temporary repository with a staging branch. The expensive runs happen once, in order, in
// OneTimeSetUp: a first Push, the same Push again (nothing changed), and a branch whose test fails.
[Category("EndToEnd")]
[NonParallelizable]
public class PushEndToEndTests
{
    private const string RegistryAddress = "127.0.0.1:5000";

    // A small test project keeps the run short; the pipeline's default list is in ops/environments/sandbox.json.
    private const string TestProject = "tests/PurchasePredict.LightGbm.Tests";

    private readonly string _project = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    private PipelineWorkspace _workspace = null!;
    private RegistryClient _registry = null!;
    private PipelineRun _first = null!;
    private PushedImage _pushed = null!;
    private string _stagingCommit = "";
    private PipelineRun _second = null!;
    private PipelineRun _broken = null!;
    private string _brokenCommit = "";

    private string BrokenProject => _project + "-broken";

    private string Name(string project) => $"{project}/{ImageTarget.ImageName}";

    [OneTimeSetUp]
    public void RunPipeline()
    {
        _registry = new RegistryClient(RegistryAddress, SandboxAccess.CiTokenAsync);
        _workspace = PipelineWorkspace.CopyOfRepository();
        _stagingCommit = _workspace.Git("rev-parse", "staging").Trim();
        AddBranchWithFailingTest();

        _first = Push("staging", _project);
        Assert.That(_first.ExitCode, Is.Zero, _first.ToString());
        _pushed = PushedImage.Read(Path.Combine(_workspace.Artifacts, "image.json"));
        _second = Push("staging", _project);
        _broken = Push("broken", BrokenProject);
    }

    [OneTimeTearDown]
    public async Task CleanUp()
    {
        if (_pushed is not null)
        {
            await _registry.Delete(Name(_project), _pushed.Digest);
            new CommandRunner(_ => { }).TryRun(Docker.RemoveImages([_pushed.Reference]), quiet: true);
        }
        _registry?.Dispose();
        _workspace?.Dispose();
    }

    // The commit's tag names a build; the environment's tag (:sandbox) names what the environment runs,
    // and only Deploy moves it, once the rollout is verified (DeployEndToEndTests).
    [Test]
    public async Task Push_LeavesTheCommitsTagInRegistry_WithTheDigestOfImageJson_AndNotTheEnvironmentsTag()
    {
        var shortSha = _stagingCommit[..7];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_pushed.Commit, Is.EqualTo(_stagingCommit));
            Assert.That(_pushed.Tags, Is.EqualTo(new[] { $"{RegistryAddress}/{Name(_project)}:{shortSha}" }));
            Assert.That(await _registry.DigestOf(Name(_project), shortSha), Is.EqualTo(_pushed.Digest));
            Assert.That(await _registry.DigestOf(Name(_project), "sandbox"), Is.Null);
        }
    }

    // The config the registry serves: labels of the commit, and docker's metadata from ops/Dockerfile.
    // The workspace has no origin remote, so there is no repository URL to name (a folder would differ
    // for every clone): no source label.
    [Test]
    public async Task PushedImage_HasOciLabelsAndRunsAsNonRoot()
    {
        var image = await _registry.Config(Name(_project), _pushed.Digest);
        var config = image["config"]!;
        var labels = config["Labels"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)labels["org.opencontainers.image.revision"], Is.EqualTo(_stagingCommit));
            Assert.That((string?)labels["org.opencontainers.image.version"], Is.EqualTo(_stagingCommit[..7]));
            Assert.That((string?)labels["org.opencontainers.image.title"], Is.EqualTo(ImageTarget.ImageName));
            Assert.That(labels.ContainsKey("org.opencontainers.image.source"), Is.False);
            Assert.That((string?)labels["org.opencontainers.image.created"], Is.EqualTo((string?)image["created"]));
            Assert.That((string?)config["User"], Is.EqualTo("1654:1654"));
            Assert.That(config["ExposedPorts"]!.AsObject().ContainsKey("8080/tcp"), Is.True);
            Assert.That(config["Healthcheck"]!["Test"]!.AsArray().Select(e => (string?)e), Is.EqualTo(new[] { "CMD", "/app/purchase_predict_api", "--healthcheck" }));
        }
    }

    [Test]
    public async Task PushedImage_RunsAndAnswersPredict()
    {
        var port = FreePort.Next();
        var container = "e2e-predict-" + Guid.NewGuid().ToString("N")[..8];
        var models = Path.Combine(_workspace.Folder, "models", "demo");
        var runner = new CommandRunner(_ => { });
        var login = await SandboxAccess.DockerLoginAsync(Path.Combine(_workspace.Folder, "docker-config"));
        runner.Run(ShellCommand.Of("docker", "--config", login, "pull", "--quiet", _pushed.Reference), quiet: true);
        runner.Run(ShellCommand.Of("docker", "run", "--detach", "--rm", "--name", container, "--network", "host",
            "--env", $"PORT={port}", "--env", "WORKERS=2", "--env", "MODEL_URI=/models/model.txt",
            "--volume", $"{models}:/models:ro", _pushed.Reference), quiet: true);
        try
        {
            var answer = await PostUntilAnswered($"http://127.0.0.1:{port}/predict", File.ReadAllText(Path.Combine(models, "request.json")), TimeSpan.FromSeconds(60));
            using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "expected.json")));
            Assert.That(Predictions(answer), Is.EqualTo(expected.RootElement.GetProperty("predictions").EnumerateArray().Select(e => e.GetInt32())),
                () => runner.TryRun(ShellCommand.Of("docker", "logs", container), quiet: true).StandardError);
        }
        finally
        {
            runner.TryRun(ShellCommand.Of("docker", "rm", "--force", container), quiet: true);
        }
    }

    [Test]
    public void SecondRun_WithNothingChanged_IsQuickAndBuildsNothing()
    {
        TestContext.Out.WriteLine($"first run {_first.Duration.TotalSeconds:F1} s, second run {_second.Duration.TotalSeconds:F1} s");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_second.ExitCode, Is.Zero, _second.ToString());
            Assert.That(_second.Output, Does.Contain("Reusing the clone at " + _stagingCommit[..7]));
            Assert.That(_second.Output, Does.Not.Contain("> dotnet test").And.Not.Contain("> dotnet publish").And.Not.Contain("> docker save").And.Not.Contain("> skopeo copy"));
            Assert.That(_second.Output, Does.Contain("the digest this build gives: nothing pushed."));
            Assert.That(_second.Duration, Is.LessThan(TimeSpan.FromSeconds(60)));
            Assert.That(PushedImage.Read(Path.Combine(_workspace.Artifacts, "image.json")).Digest, Is.EqualTo(_pushed.Digest));
        }
    }

    [Test]
    public async Task BranchWithFailingTest_StopsBeforeBuildingAndPushesNothing()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_broken.ExitCode, Is.Not.Zero);
            Assert.That(_broken.Output, Does.Contain("Tests failed in " + TestProject));
            Assert.That(_broken.Output, Does.Not.Contain("> dotnet publish").And.Not.Contain($"Image of {_brokenCommit[..7]}").And.Not.Contain("> skopeo copy"));
            Assert.That(await _registry.TagsListStatus(Name(BrokenProject)), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(OciLayout.Read(Path.Combine(_workspace.Artifacts, "image"))?.Labels[ImageStep.RevisionLabel], Is.Not.EqualTo(_brokenCommit),
                "no image was assembled for the failing commit");
        }
    }

    private PipelineRun Push(string branch, string project) =>
        _workspace.Run(null, "--target=Push", "--branch=" + branch, "--project=" + project, "--tests=" + TestProject);

    // "broken": staging plus one failing test. Built in the workspace, which then goes back to main.
    private void AddBranchWithFailingTest()
    {
        _workspace.Git("checkout", "--quiet", "-b", "broken", "staging");
        File.WriteAllText(Path.Combine(_workspace.Folder, TestProject, "DeliberatelyFailingTests.cs"), """
            namespace PurchasePredict.LightGbm.Tests;

            public class DeliberatelyFailingTests
            {
                [NUnit.Framework.Test]
                public void Fails() => NUnit.Framework.Assert.Fail("deliberate: the pipeline must stop here");
            }
            """);
        _workspace.Commit("A failing test");
        _brokenCommit = _workspace.Git("rev-parse", "HEAD").Trim();
        _workspace.Git("checkout", "--quiet", "main");
    }

    // The API answers a list of 0/1 (the tutorial's contract), possibly inside an object.
    private static IEnumerable<int> Predictions(string body)
    {
        using var document = JsonDocument.Parse(body);
        var list = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement : document.RootElement.GetProperty("predictions");
        return list.EnumerateArray().Select(e => e.GetInt32()).ToList();
    }

    private static async Task<string> PostUntilAnswered(string url, string json, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode) return body;
                if (DateTime.UtcNow > deadline) Assert.Fail($"POST {url} answered {(int)response.StatusCode}: {body}");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(500);
        }
    }
}
