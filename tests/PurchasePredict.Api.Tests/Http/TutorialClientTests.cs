using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>The tutorial client's exact request, over HTTP on 127.0.0.1, against the committed demo model.</summary>
public class TutorialClientTests
{
    private const double Tolerance = 1e-12;

    private static byte[] TutorialBody => File.ReadAllBytes(Repo.DemoRequest);

    private static (int[] Predictions, double[] Probabilities) Expected()
    {
        var expected = JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!;
        return (expected["predictions"]!.Deserialize<int[]>()!, expected["probabilities"]!.Deserialize<double[]>()!);
    }

    [Test]
    public async Task Predict_TutorialBodyByteForByte_AnswersTheFlaskAppsLabels()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync();
        using var response = await server.Http.PostAsync("predict", Bodies.Json(TutorialBody));
        var text = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(JsonSerializer.Deserialize<int[]>(text), Is.EqualTo(Expected().Predictions));
            Assert.That(text, Does.Match(@"^\[[01](,[01])*\]$"), "a JSON array of 0/1 integers");
        }
    }

    [TestCase("true")]
    [TestCase("1")]
    [TestCase("True")]
    public async Task PredictProba_TutorialBody_AnswersNativeProbabilities(string flag)
    {
        await using var server = await ApiServer.StartWithDemoModelAsync();
        using var response = await server.Http.PostAsync($"predict?proba={flag}", Bodies.Json(TutorialBody));
        var probabilities = JsonSerializer.Deserialize<double[]>(await response.Content.ReadAsStringAsync());
        Assert.That(probabilities, Is.EqualTo(Expected().Probabilities).Within(Tolerance));
    }

    [Test]
    public async Task Invocations_TutorialBodyAndMlflowShapes_AnswerPredictionsObject()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync();
        var frame = JsonNode.Parse(JsonNode.Parse(TutorialBody)!.GetValue<string>())!.AsObject();
        var columns = frame.Select(c => c.Key).ToArray();
        var labels = frame[columns[0]]!.AsObject().Select(r => r.Key).ToArray();
        var rows = labels.Select(l => new JsonArray([.. columns.Select(c => frame[c]![l]?.DeepClone())])).ToArray();
        var records = labels.Select(l => new JsonObject(columns.Select(c => KeyValuePair.Create(c, frame[c]![l]?.DeepClone())))).ToArray();
        var bodies = new Dictionary<string, byte[]>
        {
            ["tutorial"] = TutorialBody,
            ["dataframe_split"] = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["dataframe_split"] = new JsonObject { ["columns"] = new JsonArray([.. columns.Reverse().Select(c => (JsonNode)c)]), ["data"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonArray([.. r.Reverse().Select(v => v?.DeepClone())]))]) },
            }),
            ["dataframe_records"] = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["dataframe_records"] = new JsonArray([.. records]) }),
            ["instances"] = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["instances"] = new JsonArray([.. records.Select(r => r.DeepClone())]) }),
        };
        foreach (var (shape, body) in bodies)
        {
            using var response = await server.Http.PostAsync("invocations", Bodies.Json(body));
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.That(answer["predictions"]!.Deserialize<double[]>(), Is.EqualTo(Expected().Probabilities).Within(Tolerance), shape);
        }
    }

    [Test]
    public async Task HealthEndpoints_WithModel_AnswerAsDocumented()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync();
        using var root = await server.Http.GetAsync("");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await root.Content.ReadAsStringAsync(), Is.EqualTo("OK"));
            foreach (var path in new[] { "health/live", "health/ready", "ping" })
                Assert.That((await server.Http.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
    }

    [Test]
    public async Task ModelStillLoading_Every503AsksToRetry_LiveIs200()
    {
        await using var mlflow = await MlflowStandIn.StartAsync();
        await mlflow.Client.RegisterAsync("purchase", "mlflow-artifacts:/1/abc/artifacts/model", "Staging");
        await mlflow.Client.UploadArtifactAsync("1/abc/artifacts/model/model.lgb", File.ReadAllBytes(Repo.DemoModel));
        mlflow.HoldArtifacts();
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string> { ["MODEL_URI"] = "models:/purchase/Staging", ["MLFLOW_SERVER"] = mlflow.Address.ToString() },
            waitForModel: false);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await server.Http.GetAsync("health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using var early = await server.Http.PostAsync("predict", Bodies.Json(TutorialBody));
            Assert.That(early.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            using var invocations = await server.Http.PostAsync("invocations", Bodies.Json(TutorialBody));
            Assert.That((string?)JsonNode.Parse(await invocations.Content.ReadAsStringAsync())!["error_code"], Is.EqualTo("TEMPORARILY_UNAVAILABLE"));
            foreach (var response in new[] { await server.Http.GetAsync("health/ready"), await server.Http.GetAsync("ping"), await server.Http.GetAsync("health"), early, invocations })
            {
                var path = response.RequestMessage!.RequestUri!.AbsolutePath;
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), path);
                Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), path);
            }
        }
        mlflow.ReleaseArtifacts();
        await server.WaitForModelAsync();
        Assert.That((await server.Http.GetAsync("health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
