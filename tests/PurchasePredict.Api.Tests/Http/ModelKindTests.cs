using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>Answers for multiclass and regression models (README "Answers"), with tiny hand-written models (<see cref="HandModels"/>).</summary>
public class ModelKindTests
{
    private const string Rows = """[{"x": 0, "y": 0}, {"x": 1, "y": 0}]""";

    private static async Task<JsonNode> Post(ApiServer server, string path)
    {
        using var response = await server.Http.PostAsync(path, Bodies.Json(Rows));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Test]
    public async Task Multiclass_LabelsAreTheMostProbableClass_ProbaAndInvocationsGiveAllClasses()
    {
        // Class k's raw score is tree k's leaf: x=0 -> (2, 0, -1), x=1 -> (-1, 0, 2).
        await using var server = await HandModels.Serve(HandModels.Model("multiclass num_class:3", 3, (2, -1), (0, 0), (-1, 2)));
        var expected = new[] { HandModels.Softmax(2, 0, -1), HandModels.Softmax(-1, 0, 2) };
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await Post(server, "predict")).Deserialize<int[]>(), Is.EqualTo(new[] { 0, 2 }));
            Assert.That((await Post(server, "predict?proba=true")).Deserialize<double[][]>(), Is.EqualTo(expected).Within(1e-12));
            Assert.That((await Post(server, "invocations"))["predictions"].Deserialize<double[][]>(), Is.EqualTo(expected).Within(1e-12));
        }
    }

    [Test]
    public async Task Regression_AnswersValues_AndRefusesProba()
    {
        await using var server = await HandModels.Serve(HandModels.Model("regression", 1, (1.5, -2.5)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await Post(server, "predict")).Deserialize<double[]>(), Is.EqualTo(new[] { 1.5, -2.5 }));
            Assert.That((await Post(server, "invocations"))["predictions"].Deserialize<double[]>(), Is.EqualTo(new[] { 1.5, -2.5 }));
            using var proba = await server.Http.PostAsync("predict?proba=true", Bodies.Json(Rows));
            Assert.That(proba.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await proba.Content.ReadAsStringAsync(), Does.Contain("regression"));
        }
    }

    [Test]
    public async Task Binary_LabelIsOneOnlyAboveOneHalf()
    {
        // sigmoid(0) = 0.5 exactly is class 0, as in the Flask app (p > 0.5).
        await using var server = await HandModels.Serve(HandModels.Model("binary sigmoid:1", 1, (0, 0.001)));
        Assert.That((await Post(server, "predict")).Deserialize<int[]>(), Is.EqualTo(new[] { 0, 1 }));
    }
}
