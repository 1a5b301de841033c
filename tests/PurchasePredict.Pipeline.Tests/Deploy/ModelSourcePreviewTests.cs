namespace PurchasePredict.Pipeline.Tests;

// What a dry run of Reload says each VM would serve (build/deploy/ModelSourcePreview.cs): MLflow on 127.0.0.1,
// or the sandbox's MLflow hostname, is asked (here a stand-in); any other server is named, never contacted.
public class ModelSourcePreviewTests
{
    private static readonly Dictionary<string, Secret> NoSecrets = [];

    private LocalHttpServer _mlflow = null!;

    [SetUp]
    public void StartMlflow() =>
        _mlflow = new LocalHttpServer(request =>
            request.PathAndQuery.StartsWith("/api/2.0/mlflow/registered-models/alias?name=purchase_predict&alias=staging", StringComparison.Ordinal)
                ? new StandInAnswer(200, """{"model_version":{"name":"purchase_predict","version":"7"}}""")
            : request.PathAndQuery.StartsWith("/api/2.0/mlflow/registered-models/alias", StringComparison.Ordinal)
                ? new StandInAnswer(404, """{"error_code":"RESOURCE_DOES_NOT_EXIST"}""")
            : request.PathAndQuery == "/api/2.0/mlflow/registered-models/get-latest-versions" && request.Body.Contains("\"Production\"")
                ? new StandInAnswer(200, """{"model_versions":[{"version":"3"},{"version":"11"}]}""")
            : new StandInAnswer(404, "{}"));

    [TearDown]
    public void StopMlflow() => _mlflow.Dispose();

    private SandboxVmSettings Sandbox => new("bookworm", "http://deb.invalid", 9199, "m.txt", "b", "f", "mlflow.sandbox.internal", _mlflow.Port, "/tmp");

    [Test]
    public void TutorialVariables_TheSandboxsMlflowHostname_IsAskedOn127001()
    {
        var env = new Dictionary<string, string> { ["MLFLOW_SERVER"] = $"http://mlflow.sandbox.internal:{_mlflow.Port}", ["MLFLOW_REGISTRY_NAME"] = "purchase_predict", ["ENV"] = "staging" };
        Assert.That(ModelSourcePreview.Describe(env, NoSecrets, Sandbox),
            Is.EqualTo($"models:/purchase_predict@staging (or stage staging) -> version 7 now, at MLflow http://mlflow.sandbox.internal:{_mlflow.Port}"));
    }

    [Test]
    public void AStage_IsItsNewestVersion()
    {
        var env = new Dictionary<string, string> { ["MLFLOW_SERVER"] = _mlflow.Url, ["MODEL_URI"] = "models:/purchase_predict/production" };
        Assert.That(ModelSourcePreview.Describe(env, NoSecrets, null), Is.EqualTo($"models:/purchase_predict/production -> version 11 now, at MLflow {_mlflow.Url}"));
    }

    [Test]
    public void AnAliasNamingNothing_SaysTheVmsWouldFail()
    {
        var env = new Dictionary<string, string> { ["MLFLOW_SERVER"] = _mlflow.Url, ["MODEL_URI"] = "models:/purchase_predict@nobody" };
        Assert.That(ModelSourcePreview.Describe(env, NoSecrets, null), Does.EndWith("names no version (the VMs would fail to load it)"));
    }

    [Test]
    public void AnotherMlflowServer_IsNamedNotAsked()
    {
        var env = new Dictionary<string, string> { ["MLFLOW_SERVER"] = "http://mlflow.example.invalid:5000", ["MODEL_URI"] = "models:/purchase_predict@staging" };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ModelSourcePreview.Describe(env, NoSecrets, Sandbox),
                Is.EqualTo("models:/purchase_predict@staging at MLflow http://mlflow.example.invalid:5000: not asked, a dry run contacts no host but 127.0.0.1"));
            Assert.That(_mlflow.Seen, Is.Empty);
        }
    }

    [TestCase("models:/purchase_predict/4", "models:/purchase_predict/4 -> version 4 (pinned)")]
    [TestCase("gs://b/model.txt#17", "gs://b/model.txt#17 (pinned)")]
    [TestCase("gs://b/model.txt", "gs://b/model.txt: the object's live generation, read when the model loads")]
    [TestCase("/models/model.txt", "/models/model.txt")]
    public void APinnedOrFileSource_NeedsNoQuestion(string uri, string described)
    {
        var env = new Dictionary<string, string> { ["MLFLOW_SERVER"] = _mlflow.Url, ["MODEL_URI"] = uri };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ModelSourcePreview.Describe(env, NoSecrets, null), Is.EqualTo(described));
            Assert.That(_mlflow.Seen, Is.Empty);
        }
    }

    [Test]
    public void AModelUriInTheSecretsFile_IsNotShown() =>
        Assert.That(ModelSourcePreview.Describe(new Dictionary<string, string>(), new Dictionary<string, Secret> { ["MODEL_URI"] = new("gs://b/secret-path") }, null),
            Is.EqualTo("MODEL_URI from the secrets file (not shown)"));
}
