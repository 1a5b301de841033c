using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PurchasePredict.Pipeline.Tests;

// Issue 16 for real: one commit, two fresh clones in different folders, each running
// `./build.sh --target=Push --force=true` against the sandbox's private registry. The second build
// must give the digest the first pushed, so it pushes nothing; a registry whose tag of the commit holds
// another image is an error, and the tag stays where it was. The expensive runs happen once, in
// OneTimeSetUp.
[Category("EndToEnd")]
[NonParallelizable]
public partial class ReproducibleImageEndToEndTests
{
    private const string RegistryAddress = "127.0.0.1:5000";
    private const string TestProject = "tests/PurchasePredict.LightGbm.Tests";

    private readonly string _project = "e2e-repro-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _digestsToDelete = [];
    private PipelineWorkspace _origin = null!;
    private PipelineWorkspace _first = null!;
    private PipelineWorkspace _second = null!;
    private RegistryClient _registry = null!;
    private string _commit = "";
    private PipelineRun _firstPush = null!;
    private PipelineRun _secondPush = null!;
    private PipelineRun _mismatchPush = null!;
    private string _otherDigest = "";
    private string? _tagAfterMismatch;
    private string _secondImageJsonBefore = "";
    private string _secondImageJsonAfter = "";
    private IReadOnlyList<string> _leftCredentials = [];

    private string Name => $"{_project}/{ImageTarget.ImageName}";

    private string ShortSha => _commit[..7];

    [OneTimeSetUp]
    public async Task BuildOneCommitFromTwoClones()
    {
        _registry = new RegistryClient(RegistryAddress, SandboxAccess.CiTokenAsync);
        _origin = PipelineWorkspace.CopyOfRepository();
        _commit = _origin.Git("rev-parse", "main").Trim();
        _first = PipelineWorkspace.CloneOf(_origin, "clone-a");
        _second = PipelineWorkspace.CloneOf(_origin, "second-clone");
        var credentialsBefore = RunCredentials();

        _firstPush = Push(_first);
        Assert.That(_firstPush.ExitCode, Is.Zero, _firstPush.ToString());
        _digestsToDelete.Add(PushedImage.Read(ImageJson(_first)).Digest);
        _secondPush = Push(_second);
        Assert.That(_secondPush.ExitCode, Is.Zero, _secondPush.ToString());
        _leftCredentials = RunCredentials().Except(credentialsBefore).ToList();

        // Another image under the commit's tag: the pushed manifest with one annotation more.
        var manifest = JsonNode.Parse(await _registry.Manifest(Name, ShortSha))!;
        manifest["annotations"] = new JsonObject { ["e2e"] = "not what this commit builds to" };
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        _otherDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        _digestsToDelete.Add(_otherDigest);
        await _registry.PutManifest(Name, ShortSha, RegistryClient.OciManifest, bytes);
        _secondImageJsonBefore = File.ReadAllText(ImageJson(_second));
        _mismatchPush = _second.Run(null, "--target=Push", "--exclusive", "--project=" + _project);
        _secondImageJsonAfter = File.ReadAllText(ImageJson(_second));
        _tagAfterMismatch = await _registry.DigestOf(Name, ShortSha);
    }

    [OneTimeTearDown]
    public async Task CleanUp()
    {
        foreach (var digest in _digestsToDelete)
        {
            await _registry.Delete(Name, digest);
        }
        _registry?.Dispose();
        _first?.Dispose();
        _second?.Dispose();
        _origin?.Dispose();
    }

    [Test]
    public void TwoClonesOfOneCommit_InDifferentFolders_GiveTheSameManifestDigest()
    {
        var first = PushedImage.Read(ImageJson(_first));
        var second = PushedImage.Read(ImageJson(_second));
        TestContext.Out.WriteLine($"{_first.Folder}: {first.Digest}\n{_second.Folder}: {second.Digest}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Commit, Is.EqualTo(_commit));
            Assert.That(second.Commit, Is.EqualTo(_commit));
            Assert.That(second.Digest, Is.EqualTo(first.Digest));
            Assert.That(_firstPush.Output, Does.Contain($"Pushed {RegistryAddress}/{Name}:{ShortSha} = {first.Digest}."));
        }
    }

    [Test]
    public void TheSecondBuild_FindsItsDigestInTheRegistry_AndPushesNothing()
    {
        var digest = PushedImage.Read(ImageJson(_second)).Digest;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_secondPush.Output, Does.Contain($"Image of {ShortSha}: {digest}"), "--force rebuilt the image");
            Assert.That(_secondPush.Output, Does.Contain(
                $"The registry already has {RegistryAddress}/{Name}:{ShortSha} = {digest}, the digest this build gives: nothing pushed."));
            Assert.That(_secondPush.Output, Does.Not.Contain("> skopeo copy"));
        }
    }

    [Test]
    public async Task TheImagesTimesAndLabels_ComeFromTheCommit_AndNameTheRepositoryNotAFolder()
    {
        var committed = DateTimeOffset.FromUnixTimeSeconds(long.Parse(_origin.Git("show", "--no-patch", "--format=%ct", _commit).Trim()));
        var time = committed.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var config = await _registry.Config(Name, ShortSha);
        var labels = config["config"]!["Labels"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)config["created"], Is.EqualTo(time));
            Assert.That(config["history"]!.AsArray().Select(h => (string?)h!["created"]).Last(), Is.EqualTo(time));
            Assert.That((string?)labels[ImageStep.CreatedLabel], Is.EqualTo(time));
            Assert.That((string?)labels[ImageStep.RevisionLabel], Is.EqualTo(_commit));
            Assert.That((string?)labels[ImageStep.SourceLabel], Is.EqualTo(_origin.Folder), "the clones' origin, the same for both");
            Assert.That((string?)labels[ImageStep.BaseNameLabel], Is.EqualTo(SandboxBaseImage()));
            Assert.That((string?)labels[ImageStep.BaseIdLabel], Does.Match("^sha256:[0-9a-f]{64}$"));
        }
    }

    [Test]
    public void ATagOfTheCommitHoldingAnotherImage_IsAnError_NamingBoth_AndStaysWhereItWas()
    {
        var built = PushedImage.Read(ImageJson(_second)).Digest;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_mismatchPush.ExitCode, Is.Not.Zero);
            Assert.That(_mismatchPush.Output, Does.Contain(
                $"The registry has {RegistryAddress}/{Name}:{ShortSha} = {_otherDigest}, but this build of the same commit gives {built}."));
            Assert.That(_mismatchPush.Output, Does.Not.Contain("> skopeo copy"));
            Assert.That(_tagAfterMismatch, Is.EqualTo(_otherDigest), "the commit's tag did not move");
            Assert.That(_secondImageJsonAfter, Is.EqualTo(_secondImageJsonBefore), "nothing recorded");
        }
    }

    [Test]
    public void TheRegistryToken_NeverShows_AndTheRunsCredentialsAreDeleted()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var run in new[] { _firstPush, _secondPush, _mismatchPush })
            {
                Assert.That(Token().IsMatch(run.Output), Is.False, "a token in the output");
                Assert.That(run.Output, Does.Contain("skopeo login --authfile").And.Contain("--password-stdin"));
            }
            Assert.That(_leftCredentials, Is.Empty);
        }
    }

    private PipelineRun Push(PipelineWorkspace clone) =>
        clone.Run(null, "--target=Push", "--force=true", "--project=" + _project, "--tests=" + TestProject);

    private static string ImageJson(PipelineWorkspace clone) => Path.Combine(clone.Artifacts, "image.json");

    private static string SandboxBaseImage() =>
        (string)JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "ops", "environments", "sandbox.json")))!["baseImage"]!;

    // The folders RegistryCredentials makes for a run's auth file.
    private static IReadOnlyList<string> RunCredentials() =>
        Directory.GetDirectories(Path.GetTempPath(), "purchase-predict-registry-*");

    [GeneratedRegex(@"ya29\.[A-Za-z0-9._-]{20,}")]
    private static partial Regex Token();
}
