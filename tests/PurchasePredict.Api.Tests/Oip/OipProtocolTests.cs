using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Oip;

/// <summary>
/// The Open Inference Protocol's health, metadata and readiness endpoints; the model's name and version (MODEL_NAME,
/// the MLflow registered model, purchase_predict) in every path; multiclass and regression outputs.
/// </summary>
public class OipProtocolTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> Get(ApiServer server, string path)
    {
        var response = await server.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    [Test]
    public async Task HealthAndMetadata_DescribeTheServerAndTheModel()
    {
        await using var server = await HandModels.Serve(HandModels.Model("binary sigmoid:1", 1, (0, 1)));
        var version = server.Models.Current!.Identity.Sha256[..12];
        var (_, live, _) = await Get(server, "v2/health/live");
        var (_, ready, _) = await Get(server, "v2/health/ready");
        var (_, metadata, _) = await Get(server, "v2");
        var (_, model, _) = await Get(server, "v2/models/purchase_predict");
        var (_, versioned, _) = await Get(server, $"v2/models/purchase_predict/versions/{version}");
        var (_, modelReady, _) = await Get(server, "v2/models/purchase_predict/ready");
        var (versionReadyStatus, _, _) = await Get(server, $"v2/models/purchase_predict/versions/{version}/ready");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool?)live!["live"], Is.True);
            Assert.That((bool?)ready!["ready"], Is.True);
            Assert.That((string?)metadata!["name"], Is.EqualTo("purchase_predict_api"));
            Assert.That(metadata["extensions"], Is.InstanceOf<JsonArray>());
            Assert.That((string?)model!["name"], Is.EqualTo("purchase_predict"));
            Assert.That(model["versions"].Deserialize<string[]>(), Is.EqualTo(new[] { version }));
            Assert.That(model["inputs"]!.AsArray().Select(i => ((string?)i!["name"], (string?)i["datatype"], i["shape"]!.ToJsonString())),
                Is.EqualTo(new[] { ("x", "FP64", "[-1]"), ("y", "FP64", "[-1]") }));
            Assert.That(model["outputs"]!.AsArray().Select(o => (string?)o!["name"]), Is.EqualTo(new[] { "probability", "label", "predict" }));
            Assert.That(versioned!.ToJsonString(), Is.EqualTo(model.ToJsonString()));
            Assert.That(((string?)modelReady!["name"], (bool?)modelReady["ready"]), Is.EqualTo(("purchase_predict", (bool?)true)));
            Assert.That(versionReadyStatus, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task DemoModel_CategoricalFeaturesAreBytesInputs()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync();
        var (_, model, _) = await Get(server, "v2/models/purchase_predict");
        var bytes = model!["inputs"]!.AsArray().Where(i => (string?)i!["datatype"] == "BYTES").Select(i => (string?)i!["name"]);
        Assert.That(bytes, Is.EquivalentTo(new[] { "brand", "category", "sub_category" }));
    }

    [TestCase("v2/models/other", "model 'other' is not served here; this server serves 'shop_buyers'")]
    [TestCase("v2/models/other/ready", "model 'other' is not served here")]
    [TestCase("v2/models/shop_buyers/versions/999/ready", "model 'shop_buyers' has no version '999'; this server serves version '")]
    [TestCase("v2/models/shop_buyers/versions/999", "model 'shop_buyers' has no version '999'")]
    [TestCase("v2/models/purchase_predict", "model 'purchase_predict' is not served here")]
    [TestCase("v2/nothing/here", "no such endpoint: GET /v2/nothing/here")]
    public async Task UnknownModelVersionOrPath_Is404WithTheProtocolsError(string path, string error)
    {
        await using var server = await HandModels.Serve(HandModels.Model("binary sigmoid:1", 1, (0, 1)), ("MODEL_NAME", "shop_buyers"));
        var (status, body, response) = await Get(server, path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)body!["error"], Does.StartWith(error));
        }
        using var infer = await server.Http.PostAsync("v2/models/other/infer", Bodies.Json("{}"));
        Assert.That(infer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "checked before the body is read");
    }

    [Test]
    public async Task RegistryModel_IsServedUnderItsRegisteredNameAndVersion_And503WhileLoading()
    {
        await using var mlflow = await MlflowStandIn.StartAsync();
        var version = await mlflow.Client.RegisterAsync("buyers", "mlflow-artifacts:/1/abc/artifacts/model", "Staging");
        await mlflow.Client.UploadArtifactAsync("1/abc/artifacts/model/model.lgb", File.ReadAllBytes(Repo.DemoModel));
        mlflow.HoldArtifacts();
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string> { ["MODEL_URI"] = "models:/buyers/Staging", ["MLFLOW_SERVER"] = mlflow.Address.ToString() },
            waitForModel: false);
        var (liveStatus, _, _) = await Get(server, "v2/health/live");
        var early = new[] { await Get(server, "v2/health/ready"), await Get(server, "v2/models/buyers"), await Get(server, "v2/models/buyers/ready") };
        using var earlyInfer = await server.Http.PostAsync("v2/models/buyers/infer", Bodies.Json(OipBodies.Columns().ToJsonString()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(liveStatus, Is.EqualTo(HttpStatusCode.OK));
            foreach (var (status, body, response) in early)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), response.RequestMessage!.RequestUri!.AbsolutePath);
                Assert.That((string?)body!["error"], Does.Contain("still loading"));
                Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            }
            Assert.That(earlyInfer.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }
        mlflow.ReleaseArtifacts();
        await server.WaitForModelAsync();
        var (_, model, _) = await Get(server, $"v2/models/buyers/versions/{version}");
        using var infer = await server.Http.PostAsync($"v2/models/buyers/versions/{version}/infer", Bodies.Json(OipBodies.Columns().ToJsonString()));
        Assert.That(model!["versions"].Deserialize<string[]>(), Is.EqualTo(new[] { version }));
        Assert.That((string?)JsonNode.Parse(await infer.Content.ReadAsStringAsync())!["model_version"], Is.EqualTo(version));
    }

    private static async Task<JsonNode> Infer(ApiServer server, string body)
    {
        using var response = await server.Http.PostAsync("v2/models/purchase_predict/infer", Bodies.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!;
    }

    private const string TwoRows = """{"inputs": [{"name": "x", "shape": [2], "datatype": "FP64", "data": [0, 1]}, {"name": "y", "shape": [2], "datatype": "FP64", "data": [0, 0]}]}""";

    [Test]
    public async Task Multiclass_ProbabilityIsRowsByClasses_LabelTheMostProbable()
    {
        await using var server = await HandModels.Serve(HandModels.Model("multiclass num_class:3", 3, (2, -1), (0, 0), (-1, 2)));
        var answer = await Infer(server, TwoRows[..^1] + """, "outputs": [{"name": "probability"}, {"name": "label"}]}""");
        var probability = answer["outputs"]![0]!;
        var expected = new[] { HandModels.Softmax(2, 0, -1), HandModels.Softmax(-1, 0, 2) }.SelectMany(r => r);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(probability["shape"].Deserialize<int[]>(), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(probability["data"].Deserialize<double[]>(), Is.EqualTo(expected).Within(1e-12));
            Assert.That(answer["outputs"]![1]!["data"].Deserialize<long[]>(), Is.EqualTo(new[] { 0L, 2L }));
        }
    }

    [Test]
    public async Task Regression_AnswersValue_AndRefusesLabel()
    {
        await using var server = await HandModels.Serve(HandModels.Model("regression", 1, (1.5, -2.5)));
        var answer = await Infer(server, TwoRows);
        using var label = await server.Http.PostAsync("v2/models/purchase_predict/infer", Bodies.Json(TwoRows[..^1] + """, "outputs": [{"name": "label"}]}"""));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)answer["outputs"]![0]!["name"], Is.EqualTo("value"));
            Assert.That(answer["outputs"]![0]!["data"].Deserialize<double[]>(), Is.EqualTo(new[] { 1.5, -2.5 }));
            Assert.That(label.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)JsonNode.Parse(await label.Content.ReadAsStringAsync())!["error"], Does.Contain("output 'label' is not one this regression model answers"));
        }
    }
}
