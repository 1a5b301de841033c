using System.Net;
using System.Text.Json.Nodes;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>
/// <c>gcp-sandbox mlflow</c>, run as the sandbox runs it: MLflow's REST API for the model registry (what
/// the service's loader reads, and what registering a second version and moving an alias takes), with
/// MLflow's error codes, kept across restarts.
/// </summary>
public class MlflowTests
{
    private SandboxProject _project = null!;
    private StandInProcess _server = null!;
    private MlflowClient _mlflow = null!;

    [SetUp]
    public async Task StartMlflow()
    {
        _project = await SandboxProject.StartAsync();
        _server = await _project.StartMlflowAsync();
        _mlflow = new MlflowClient(_server.Address);
    }

    [TearDown]
    public async Task StopMlflow()
    {
        _mlflow.Dispose();
        await _project.DisposeAsync();
    }

    private const string Api = "api/2.0/mlflow/";

    [Test]
    public async Task SecondVersion_TakesTheAlias_WhenItIsMoved()
    {
        var first = await _mlflow.RegisterAsync("purchase_predict", "gs://bucket/1/a/artifacts/model", "Staging");
        await _mlflow.SetAliasAsync("purchase_predict", "staging", first);
        var second = await _mlflow.RegisterAsync("purchase_predict", "gs://bucket/1/b/artifacts/model", "Staging");
        var before = await _mlflow.GetAsync(Api + "registered-models/alias?name=purchase_predict&alias=staging");
        await _mlflow.SetAliasAsync("purchase_predict", "staging", second);
        var after = await _mlflow.GetAsync(Api + "registered-models/alias?name=purchase_predict&alias=staging");
        var uri = await _mlflow.GetAsync(Api + $"model-versions/get-download-uri?name=purchase_predict&version={second}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first, second), Is.EqualTo(("1", "2")));
            Assert.That((string?)before.Body["model_version"]!["version"], Is.EqualTo("1"));
            Assert.That((string?)after.Body["model_version"]!["version"], Is.EqualTo("2"));
            Assert.That(after.Body["model_version"]!["aliases"]!.AsArray().Select(a => (string?)a), Is.EqualTo(new[] { "staging" }));
            Assert.That((string?)after.Body["model_version"]!["source"], Is.EqualTo("gs://bucket/1/b/artifacts/model"));
            Assert.That((string?)uri.Body["artifact_uri"], Is.EqualTo("gs://bucket/1/b/artifacts/model"));
        }
    }

    [Test]
    public async Task LatestVersions_GivesTheNewestOfEachStageAskedFor()
    {
        await _mlflow.RegisterAsync("m", "gs://b/1", "Staging");
        await _mlflow.RegisterAsync("m", "gs://b/2", "Production");
        await _mlflow.RegisterAsync("m", "gs://b/3", "Staging");
        await _mlflow.RegisterAsync("m", "gs://b/4");
        var staging = await _mlflow.PostAsync(Api + "registered-models/get-latest-versions", new { name = "m", stages = new[] { "Staging" } });
        var all = await _mlflow.PostAsync(Api + "registered-models/get-latest-versions", new { name = "m" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(staging.Body["model_versions"]!.AsArray().Select(v => (string?)v!["version"]), Is.EqualTo(new[] { "3" }));
            Assert.That(all.Body["model_versions"]!.AsArray().Select(v => ((string?)v!["current_stage"], (string?)v["version"])),
                Is.EquivalentTo(new[] { ("Staging", "3"), ("Production", "2"), ("None", "4") }));
        }
    }

    [Test]
    public async Task TransitionWithArchiving_ArchivesThePreviousVersionOfTheStage()
    {
        await _mlflow.RegisterAsync("m", "gs://b/1", "Production");
        await _mlflow.RegisterAsync("m", "gs://b/2");
        await _mlflow.PostAsync(Api + "model-versions/transition-stage", new { name = "m", version = "2", stage = "production", archive_existing_versions = true });
        var first = await _mlflow.GetAsync(Api + "model-versions/get?name=m&version=1");
        var second = await _mlflow.GetAsync(Api + "model-versions/get?name=m&version=2");
        Assert.That(((string?)first.Body["model_version"]!["current_stage"], (string?)second.Body["model_version"]!["current_stage"]),
            Is.EqualTo(("Archived", "Production")));
    }

    [Test]
    public async Task Restarted_KeepsItsRegistry()
    {
        await _mlflow.SetAliasAsync("m", "staging", await _mlflow.RegisterAsync("m", "gs://b/1"));
        await _server.DisposeAsync();
        var restarted = await _project.StartMlflowAsync();
        using var mlflow = new MlflowClient(restarted.Address);
        var (status, body) = await mlflow.GetAsync(Api + "registered-models/alias?name=m&alias=staging");
        Assert.That((status, (string?)body["model_version"]!["source"]), Is.EqualTo((HttpStatusCode.OK, "gs://b/1")));
    }

    [Test]
    public async Task ProxiedArtifact_IsServedAsUploaded()
    {
        await _mlflow.UploadArtifactAsync("1/abc/artifacts/model/model.lgb", "tree\n"u8.ToArray());
        using var http = new HttpClient();
        Assert.That(await http.GetStringAsync(new Uri(_server.Address, "api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/model.lgb")), Is.EqualTo("tree\n"));
    }

    [TestCase("..%2F..%2Foauth%2Ftoken-secret")]
    [TestCase("%2E%2E/%2E%2E/oauth/token-secret")]
    public async Task ArtifactPathLeavingItsFolder_OverHttp_NeitherReadsNorWritesOutsideIt(string path)
    {
        await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("purchase-predict-ci"), GoogleScopes.CloudPlatform);
        var secretFile = Path.Combine(_project.State, "oauth", "token-secret");
        var secret = await File.ReadAllBytesAsync(secretFile);
        var response = await RawHttp.SendAsync(_server.Address, "PUT", $"/api/2.0/mlflow-artifacts/artifacts/{path}", "x"u8.ToArray());
        var read = await RawHttp.SendAsync(_server.Address, "GET", $"/api/2.0/mlflow-artifacts/artifacts/{path}", []);
        var artifacts = Path.Combine(_project.State, "mlflow", "artifacts");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllBytesAsync(secretFile), Is.EqualTo(secret));
            Assert.That(read.Body, Is.Not.EqualTo(secret));
            Assert.That(Directory.EnumerateFiles(_project.State, "*", SearchOption.AllDirectories)
                .Where(f => !f.StartsWith(artifacts, StringComparison.Ordinal) && File.ReadAllText(f) == "x"), Is.Empty, $"PUT answered {response.Status}");
        }
    }

    [TestCase("../secret")]
    [TestCase("a/../../secret")]
    [TestCase("/etc/passwd")]
    public void ArtifactPathLeavingItsFolder_IsRefused(string path)
    {
        var artifacts = new Mlflow.MlflowArtifacts(_project.State);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => artifacts.SaveAsync(path, new MemoryStream("x"u8.ToArray()), CancellationToken.None),
                Throws.TypeOf<Mlflow.MlflowException>().With.Message.Contains("Invalid artifact path"));
            Assert.That(artifacts.Find(path), Is.Null);
        }
    }

    [TestCase("registered-models/alias?name=nobody&alias=staging", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST")]
    [TestCase("model-versions/get?name=nobody&version=1", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST")]
    [TestCase("model-versions/get-download-uri?name=nobody", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE")]
    public async Task Lookups_OfWhatDoesNotExist_AnswerMlflowsErrors(string pathAndQuery, HttpStatusCode status, string errorCode)
    {
        var (answered, body) = await _mlflow.GetAsync(Api + pathAndQuery);
        Assert.That((answered, (string?)body["error_code"]), Is.EqualTo((status, errorCode)));
    }

    [Test]
    public async Task Writes_WithBadInput_AnswerMlflowsErrors_AndChangeNothing()
    {
        await _mlflow.RegisterAsync("m", "gs://b/1");
        var answers = new[]
        {
            await _mlflow.PostAsync(Api + "registered-models/create", new { name = "m" }),
            await _mlflow.PostAsync(Api + "model-versions/create", new { name = "m" }),
            await _mlflow.PostAsync(Api + "registered-models/alias", new { name = "m", alias = "staging", version = "7" }),
            await _mlflow.PostAsync(Api + "model-versions/transition-stage", new { name = "m", version = "1", stage = "Live" }),
        };
        var all = await _mlflow.PostAsync(Api + "registered-models/get-latest-versions", new { name = "m" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers.Select(a => (string?)a.Body["error_code"]),
                Is.EqualTo(new[] { "RESOURCE_ALREADY_EXISTS", "INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE" }));
            Assert.That(all.Body["model_versions"]!.AsArray().Select(v => ((string?)v!["version"], (string?)v["current_stage"])), Is.EqualTo(new[] { ("1", "None") }));
        }
    }

    [Test]
    public async Task MalformedBody_IsRefused()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(_server.Address, Api + "model-versions/create"), new StringContent("{name:", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((response.StatusCode, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error_code"]),
            Is.EqualTo((HttpStatusCode.BadRequest, "MALFORMED_REQUEST")));
    }
}
