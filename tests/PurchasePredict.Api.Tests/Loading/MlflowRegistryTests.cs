using PurchasePredict.Api.Loading;

namespace PurchasePredict.Api.Tests.Loading;

/// <summary>models:/ URIs and the tutorial's MLFLOW_* variables, against the sandbox's <see cref="MlflowStandIn"/>.</summary>
public class MlflowRegistryTests
{
    private MlflowStandIn _mlflow = null!;
    private string _artifactDir = null!;

    [SetUp]
    public async Task StartRegistry()
    {
        _mlflow = await MlflowStandIn.StartAsync();
        var model = await File.ReadAllBytesAsync(Repo.DemoModel);
        _artifactDir = Directory.CreateTempSubdirectory("mlflow-artifacts").FullName;
        await File.WriteAllBytesAsync(Path.Combine(_artifactDir, "model.lgb"), model);
        // Version 1: proxied artifacts; 2: a file store; 3: proxied, in Production.
        Assert.That(await _mlflow.Client.RegisterAsync("purchase", "mlflow-artifacts:/1/run1/artifacts/model", "Staging"), Is.EqualTo("1"));
        Assert.That(await _mlflow.Client.RegisterAsync("purchase", "file://" + _artifactDir, "Staging"), Is.EqualTo("2"));
        Assert.That(await _mlflow.Client.RegisterAsync("purchase", "mlflow-artifacts:/1/run3/artifacts/model", "Production"), Is.EqualTo("3"));
        await _mlflow.Client.UploadArtifactAsync("1/run1/artifacts/model/model.lgb", model);
        await _mlflow.Client.UploadArtifactAsync("1/run3/artifacts/model/model.lgb", model);
        await _mlflow.Client.SetAliasAsync("purchase", "champion", "1");
    }

    [TearDown]
    public async Task StopRegistry()
    {
        await _mlflow.DisposeAsync();
        Directory.Delete(_artifactDir, recursive: true);
    }

    private async Task<string> LoadedSource(params (string Key, string Value)[] settings)
    {
        var all = settings.ToDictionary(s => s.Key, s => s.Value);
        all["MLFLOW_SERVER"] = _mlflow.Address.ToString();
        await using var server = await ApiServer.StartAsync(all);
        using var response = await server.Http.PostAsync("predict", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        Assert.That(response.IsSuccessStatusCode, Is.True);
        return server.Models.Current!.Source;
    }

    [TestCase("models:/purchase@champion", "models:/purchase@champion (version 1) -> mlflow-artifacts:/1/run1/artifacts/model/model.lgb")]
    [TestCase("models:/purchase/staging", "models:/purchase/staging (version 2) -> ")]
    [TestCase("models:/purchase/Production", "models:/purchase/Production (version 3) -> mlflow-artifacts:/1/run3/artifacts/model/model.lgb")]
    [TestCase("models:/purchase/latest", "models:/purchase/latest (version 3) -> ")]
    [TestCase("models:/purchase/2", "models:/purchase/2 (version 2) -> ")]
    public async Task ModelUri_ResolvesThroughTheRegistry(string uri, string source) =>
        Assert.That(await LoadedSource(("MODEL_URI", uri)), Does.StartWith(source));

    [Test]
    public async Task TutorialVariables_UseTheAliasWhenItExists()
    {
        await _mlflow.Client.SetAliasAsync("purchase", "staging", "3");
        Assert.That(await LoadedSource(("MLFLOW_REGISTRY_NAME", "purchase"), ("ENV", "staging")), Does.Contain("(version 3)"));
        Assert.That(_mlflow.Calls, Has.None.Contains("get-latest-versions"));
    }

    [Test]
    public async Task TutorialVariables_FallBackToTheStage()
    {
        Assert.That(await LoadedSource(("MLFLOW_REGISTRY_NAME", "purchase"), ("ENV", "staging")), Does.Contain("(version 2) -> " + _artifactDir + "/model.lgb"));
        Assert.That(_mlflow.Calls, Has.Some.Contains("registered-models/alias?name=purchase&alias=staging"));
    }

    [TestCase("models:/purchase@champion", "1", "champion", "Staging")]
    [TestCase("models:/purchase/Production", "3", null, "Production")]
    [TestCase("models:/purchase/2", "2", null, "Staging")]
    public async Task Identity_NamesTheRegisteredVersionAndTheAliasThatNamedIt(string uri, string version, string? alias, string stage)
    {
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string> { ["MODEL_URI"] = uri, ["MLFLOW_SERVER"] = _mlflow.Address.ToString() });
        Assert.That(server.Models.Current!.Identity.Registry, Is.EqualTo(new RegistryVersion("purchase", version, alias, stage)));
    }

    [Test]
    public async Task Identity_TutorialVariablesFallingBackToTheStage_NameNoAlias()
    {
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string>
        {
            ["MLFLOW_REGISTRY_NAME"] = "purchase", ["ENV"] = "staging", ["MLFLOW_SERVER"] = _mlflow.Address.ToString(),
        });
        Assert.That(server.Models.Current!.Identity.Registry, Is.EqualTo(new RegistryVersion("purchase", "2", null, "Staging")));
    }

    [TestCase("models:/purchase@nobody", "has no such registered model version")]
    [TestCase("models:/unknown/Staging", "has no such registered model version")]
    public async Task UnknownVersion_FailsLoadingWithTheReason(string uri, string reason)
    {
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string> { ["MODEL_URI"] = uri, ["MLFLOW_SERVER"] = _mlflow.Address.ToString() }, waitForModel: false);
        Assert.That(async () => await server.WaitForModelAsync(), Throws.InvalidOperationException.With.Message.Contains(uri).And.Message.Contains(reason));
    }

    [Test]
    public async Task MlflowUnreachable_FailsLoadingNamingTheServer()
    {
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}/";
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string> { ["MODEL_URI"] = "models:/purchase@champion", ["MLFLOW_SERVER"] = nowhere }, waitForModel: false);
        Assert.That(async () => await server.WaitForModelAsync(), Throws.InvalidOperationException.With.Message.Contains($"cannot reach MLflow at {nowhere}"));
    }
}
