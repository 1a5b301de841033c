using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Loading;

/// <summary>
/// gs:// models through Google.Cloud.Storage.V1 against Google's Cloud Storage emulator
/// (firebase-tools), with the service as its own process and STORAGE_EMULATOR_HOST set.
/// </summary>
[NonParallelizable]
public class GcsLoadingTests
{
    private const string Bucket = "purchase-predict-models";
    private StorageEmulator _emulator = null!;

    [OneTimeSetUp]
    public async Task StartEmulator()
    {
        _emulator = await StorageEmulator.StartAsync();
        await _emulator.UploadAsync(Bucket, "demo/model.txt", await File.ReadAllBytesAsync(Repo.DemoModel));
        await _emulator.UploadAsync(Bucket, "mlflow/1/abc/artifacts/model/model.lgb", await File.ReadAllBytesAsync(Repo.DemoModel));
    }

    [OneTimeTearDown]
    public async Task StopEmulator()
    {
        if (_emulator is not null) await _emulator.DisposeAsync();
    }

    private Dictionary<string, string> Environment(string modelUri) =>
        new() { ["MODEL_URI"] = modelUri, ["STORAGE_EMULATOR_HOST"] = _emulator.Host };

    [Test]
    public async Task GsUri_DownloadsTheModelAndServesIt()
    {
        await using var service = ServiceProcess.Start(Environment($"gs://{Bucket}/demo/model.txt"));
        await service.WaitUntilReadyAsync();
        using var response = await service.Http.PostAsync("predict", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        var expected = JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!["predictions"]!.ToJsonString();
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        var loaded = $"model loaded from gs://{Bucket}/demo/model.txt";
        Assert.That(await service.WaitForStdoutAsync(line => line.Contains(loaded)), Has.Some.Contains(loaded));
    }

    [Test]
    public async Task GsUri_IdentityHasTheGeneration_AndThatGenerationCanBePinned()
    {
        await using var service = ServiceProcess.Start(Environment($"gs://{Bucket}/demo/model.txt"));
        await service.WaitUntilReadyAsync();
        var generation = (long?)JsonNode.Parse(await service.Http.GetStringAsync("model"))!["generation"];
        Assert.That(generation, Is.Not.Null.And.GreaterThan(0));

        await using var pinned = ServiceProcess.Start(Environment($"gs://{Bucket}/demo/model.txt#{generation}"));
        await pinned.WaitUntilReadyAsync();
        var identity = JsonNode.Parse(await pinned.Http.GetStringAsync("model"))!;
        // The emulator ignores the generation parameter of a download (a missing generation still serves the
        // live object), so a wrong generation's 404 is not testable here: Cloud Storage answers it.
        Assert.That(((long?)identity["generation"], (string?)identity["source"]), Is.EqualTo((generation, $"gs://{Bucket}/demo/model.txt#{generation}")));
    }

    [TestCase("gs://purchase-predict-models/demo/missing.txt")]
    [TestCase("gs://no-such-bucket/model.txt")]
    public async Task MissingObject_ExitsWith4NamingTheObject(string uri)
    {
        await using var service = ServiceProcess.Start(Environment(uri));
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(ExitCodes.ModelLoadFailed));
        Assert.That(service.Stderr, Has.Count.EqualTo(1).And.One.Contains($"{uri}: no such object or bucket (HTTP 404)"));
    }

    [Test]
    public async Task RegistryVersionStoredInGcs_IsDownloadedFromItsArtifactDirectory()
    {
        await using var mlflow = await MlflowStandIn.StartAsync();
        await mlflow.Client.RegisterAsync("purchase_predict", $"gs://{Bucket}/mlflow/1/abc/artifacts/model", "Staging");
        await mlflow.Client.SetAliasAsync("purchase_predict", "staging", "1");
        var environment = Environment("");
        environment.Remove("MODEL_URI");
        environment["MLFLOW_SERVER"] = mlflow.Address.ToString();
        environment["MLFLOW_REGISTRY_NAME"] = "purchase_predict";
        environment["ENV"] = "staging";
        await using var service = ServiceProcess.Start(environment);
        await service.WaitUntilReadyAsync();
        var resolved = $"-> gs://{Bucket}/mlflow/1/abc/artifacts/model/model.lgb";
        Assert.That(await service.WaitForStdoutAsync(line => line.Contains(resolved)), Has.Some.Contains(resolved));
    }
}
