using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>
/// Answers for multiclass and regression models (README "Answers"), with tiny hand-written models
/// whose outputs follow from their definition: one split, x &lt;= 0.5 goes left.
/// </summary>
public class ModelKindTests
{
    private const string Rows = """[{"x": 0, "y": 0}, {"x": 1, "y": 0}]""";

    private static string Model(string objective, int classCount, params (double Left, double Right)[] trees)
    {
        var text = new System.Text.StringBuilder($"""
            tree
            version=v4
            num_class={classCount}
            num_tree_per_iteration={classCount}
            label_index=0
            max_feature_idx=1
            objective={objective}
            feature_names=x y
            feature_infos=[0:1] [0:1]


            """);
        for (var i = 0; i < trees.Length; i++)
            text.Append($"""
                Tree={i}
                num_leaves=2
                num_cat=0
                split_feature=0
                split_gain=1
                threshold=0.5
                decision_type=2
                left_child=-1
                right_child=-2
                leaf_value={trees[i].Left} {trees[i].Right}
                leaf_weight=1 1
                leaf_count=1 1
                internal_value=0
                internal_weight=2
                internal_count=2
                is_linear=0
                shrinkage=1


                """);
        return text.Append("end of trees\n").ToString();
    }

    private static async Task<ApiServer> Serve(string model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, model);
        try
        {
            return await ApiServer.StartAsync(new Dictionary<string, string> { ["MODEL_URI"] = path });
        }
        finally
        {
            File.Delete(path); // loaded by then
        }
    }

    private static double[] Softmax(params double[] raw)
    {
        var exp = raw.Select(Math.Exp).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }

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
        await using var server = await Serve(Model("multiclass num_class:3", 3, (2, -1), (0, 0), (-1, 2)));
        var expected = new[] { Softmax(2, 0, -1), Softmax(-1, 0, 2) };
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
        await using var server = await Serve(Model("regression", 1, (1.5, -2.5)));
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
        await using var server = await Serve(Model("binary sigmoid:1", 1, (0, 0.001)));
        Assert.That((await Post(server, "predict")).Deserialize<int[]>(), Is.EqualTo(new[] { 0, 1 }));
    }
}
