using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Tests.Oip;

/// <summary>
/// POST /v2/models/{name}/infer answers what /predict answers for the same rows: the tutorial's frame as the pandas
/// codec sends it, and generated rows as one [N, F] tensor, flat or nested, FP64 and FP32.
/// </summary>
public class OipInferenceTests
{
    private static ApiServer _server = null!;
    private static LightGbmModel _model = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ApiServer.StartWithDemoModelAsync();
        _model = LightGbmModel.Load(Repo.DemoModel);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static async Task<JsonNode> PostOk(string path, JsonNode body)
    {
        using var response = await _server.Http.PostAsync(path, Bodies.Json(body.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!;
    }

    private static JsonNode Output(JsonNode answer, string name) =>
        answer["outputs"]!.AsArray().Single(o => (string?)o!["name"] == name)!;

    [Test]
    public async Task PandasCodecColumns_AnswerPredictsProbabilitiesAndLabels_WithTheIdEchoed()
    {
        var request = OipBodies.Columns();
        request["id"] = "req-42";
        request["outputs"] = new JsonArray(new JsonObject { ["name"] = "probability" }, new JsonObject { ["name"] = "label" });
        var answer = await PostOk(OipBodies.InferPath, request);
        var frame = TutorialFrame.Columns().ToJsonString();
        var probabilities = (await PostOk("predict?proba=true", JsonValue.Create(frame))).Deserialize<double[]>();
        var labels = (await PostOk("predict", JsonValue.Create(frame))).Deserialize<long[]>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)answer["id"], Is.EqualTo("req-42"));
            Assert.That((string?)answer["model_name"], Is.EqualTo("purchase_predict"));
            Assert.That((string?)answer["model_version"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repo.DemoModel)))[..12]));
            Assert.That(answer["outputs"]!.AsArray().Select(o => (string?)o!["name"]), Is.EqualTo(new[] { "probability", "label" }));
            Assert.That(Output(answer, "probability")["data"].Deserialize<double[]>(), Is.EqualTo(probabilities));
            Assert.That(Output(answer, "probability")["shape"].Deserialize<int[]>(), Is.EqualTo(new[] { 10 }));
            Assert.That((string?)Output(answer, "probability")["datatype"], Is.EqualTo("FP64"));
            Assert.That(Output(answer, "label")["data"].Deserialize<long[]>(), Is.EqualTo(labels));
            Assert.That((string?)Output(answer, "label")["datatype"], Is.EqualTo("INT64"));
        }
    }

    [Test]
    public async Task NoOutputsAsked_AnswersTheProbabilityOnly_AndColumnsMayComeInAnyOrderAsNByOne()
    {
        var request = OipBodies.Columns();
        var inputs = request["inputs"]!.AsArray().Select(i => i!.DeepClone()).Reverse().ToArray();
        foreach (var input in inputs) input["shape"] = new JsonArray(10, 1);
        request["inputs"] = new JsonArray(inputs);
        var answer = await PostOk(OipBodies.InferPath, request);
        var expected = JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!["probabilities"].Deserialize<double[]>();
        Assert.That(answer["outputs"]!.AsArray().Select(o => (string?)o!["name"]), Is.EqualTo(new[] { "probability" }));
        Assert.That(Output(answer, "probability")["data"].Deserialize<double[]>(), Is.EqualTo(expected).Within(1e-12));
        Assert.That(answer["id"], Is.Null, "no id asked, none echoed");
    }

    /// <summary>Rows with numbers, category codes and missing cells, as the model's features in order.</summary>
    private static double[][] GeneratedRows(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, _model.FeatureCount).Select(feature =>
            random.Next(10) == 0 ? double.NaN
            : _model.PandasCategories[feature] is { } names ? random.Next(names.Count)
            : Math.Round(random.NextDouble() * 1000, 2)).ToArray())];
    }

    private static JsonNode Cell(double value) => double.IsNaN(value) ? null! : JsonValue.Create(value);

    [TestCase(false)]
    [TestCase(true)]
    public async Task OneTensorOfRowsByFeatures_AnswersWhatPredictAnswersForTheSameRows(bool nested)
    {
        var rows = GeneratedRows(200, nested ? 2 : 1);
        var tensor = OipBodies.Tensor(rows, nested: nested);
        // Missing cells are null in both requests.
        var data = tensor["inputs"]![0]!["data"]!.AsArray();
        var flat = rows.SelectMany(r => r).ToArray();
        if (nested)
            for (var r = 0; r < rows.Length; r++)
                data[r] = new JsonArray([.. rows[r].Select(Cell)]);
        else
            for (var i = 0; i < flat.Length; i++) data[i] = Cell(flat[i]);
        tensor["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" }, new JsonObject { ["name"] = "probability" });
        var instances = new JsonObject { ["instances"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonArray([.. r.Select(Cell)]))]) };

        var answer = await PostOk(OipBodies.InferPath, tensor);
        var probabilities = (await PostOk("predict?proba=true", instances)).Deserialize<double[]>();
        var labels = (await PostOk("predict", instances)).Deserialize<long[]>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Output(answer, "probability")["data"].Deserialize<double[]>(), Is.EqualTo(probabilities));
            Assert.That(Output(answer, "label")["data"].Deserialize<long[]>(), Is.EqualTo(labels));
            Assert.That(labels, Does.Contain(0L).And.Contain(1L), "both classes occur, so labels are really compared");
        }
    }

    [Test]
    public async Task Fp32Tensor_IsReadAsThirtyTwoBitFloats()
    {
        var rows = GeneratedRows(50, 3).Select(r => r.Select(v => double.IsNaN(v) ? 0 : v).ToArray()).ToArray();
        var answer = await PostOk(OipBodies.InferPath, OipBodies.Tensor(rows, "FP32"));
        var asFloats = rows.Select(r => r.Select(v => (double)(float)v).ToArray()).ToArray();
        var expected = new double[rows.Length];
        _model.Predict(asFloats.SelectMany(r => r).ToArray(), rows.Length, expected);
        Assert.That(Output(answer, "probability")["data"].Deserialize<double[]>(), Is.EqualTo(expected));
    }

    [Test]
    public async Task BytesTensor_ReadsCategoriesByNameAndNumbersAsText_AsPredictReadsStrings()
    {
        var frame = TutorialFrame.Columns();
        var labels = frame[_model.FeatureNames[0]]!.AsObject().Select(r => r.Key).ToArray();
        var rows = labels.Select(label => _model.FeatureNames.Select(name => frame[name]![label] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            JsonValue v => v.GetValue<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new InvalidDataException(),
        }).ToArray()).ToArray();
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "frame",
                ["shape"] = new JsonArray(rows.Length, _model.FeatureCount),
                ["datatype"] = "BYTES",
                ["data"] = new JsonArray([.. rows.SelectMany(r => r).Select(v => (JsonNode?)v)]),
            }),
        };
        var answer = await PostOk(OipBodies.InferPath, request);
        var expected = JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!["probabilities"].Deserialize<double[]>();
        Assert.That(Output(answer, "probability")["data"].Deserialize<double[]>(), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public async Task VersionedPath_WithTheServedVersion_Answers()
    {
        var version = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repo.DemoModel)))[..12];
        var answer = await PostOk($"v2/models/purchase_predict/versions/{version}/infer", OipBodies.Columns());
        Assert.That((string?)answer["model_version"], Is.EqualTo(version));
    }
}
