using System.Text.Json;

namespace PurchasePredict.LightGbm.Tests;

/// <summary>The committed demo model answers the committed tutorial request as native LightGBM did.</summary>
public sealed class DemoModelTests
{
    private static readonly string[] TutorialFeatures =
    [
        "product_id", "brand", "price", "num_views_session", "num_views_product", "category", "sub_category",
        "hour", "minute", "weekday", "duration", "num_prev_sessions", "num_prev_product_views",
    ];

    [Test]
    public void DemoModel_HasTutorialFeaturesAndStringCategories()
    {
        var model = LightGbmModel.Load(DemoFiles.ModelPath);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.FeatureNames, Is.EqualTo(TutorialFeatures));
            Assert.That(model.Kind, Is.EqualTo(ModelKind.Binary));
            Assert.That(Enumerable.Range(0, 13).Where(model.IsCategorical), Is.EqualTo(new[] { 1, 5, 6 }));
            Assert.That(model.PandasCategories[1], Does.Contain("samsung").And.Contain("apple"));
            Assert.That(model.PandasCategories[5], Is.EqualTo(new[] { "appliances", "computers", "electronics" }));
            Assert.That(model.PandasCategories[6], Does.Contain("smartphone"));
        }
    }

    [Test]
    public void DemoModel_OnTutorialRequest_MatchesNativeProbabilities()
    {
        var model = LightGbmModel.Load(DemoFiles.ModelPath);
        var rows = DecodeTutorialBody(File.ReadAllText(DemoFiles.RequestPath), model);
        using var expectedJson = JsonDocument.Parse(File.ReadAllText(DemoFiles.ExpectedPath));
        var expected = expectedJson.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var classes = expectedJson.RootElement.GetProperty("predictions").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var actual = new double[rows.Length / model.FeatureCount];
        model.Predict(rows, actual.Length, actual);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual, Has.Length.EqualTo(10));
            Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
            Assert.That(actual.Select(p => p > 0.5 ? 1 : 0), Is.EqualTo(classes));
            Assert.That(classes, Does.Contain(0).And.Contain(1), "the sample should show both answers");
        }
    }

    /// <summary>
    /// The tutorial's body is a JSON string holding pandas' columns-oriented frame. Strings become codes
    /// through the model's pandas categories, null becomes NaN.
    /// </summary>
    private static double[] DecodeTutorialBody(string body, LightGbmModel model)
    {
        var frameText = JsonSerializer.Deserialize<string>(body)!;
        using var frame = JsonDocument.Parse(frameText);
        var rowLabels = frame.RootElement.GetProperty(model.FeatureNames[0]).EnumerateObject().Select(p => p.Name).ToArray();
        var rows = new double[rowLabels.Length * model.FeatureCount];
        for (var f = 0; f < model.FeatureCount; f++)
        {
            var column = frame.RootElement.GetProperty(model.FeatureNames[f]);
            for (var r = 0; r < rowLabels.Length; r++)
            {
                var cell = column.GetProperty(rowLabels[r]);
                rows[(r * model.FeatureCount) + f] = cell.ValueKind switch
                {
                    JsonValueKind.Null => double.NaN,
                    JsonValueKind.String => CodeOf(model, f, cell.GetString()!),
                    _ => cell.GetDouble(),
                };
            }
        }

        return rows;
    }

    private static double CodeOf(LightGbmModel model, int feature, string value)
    {
        var categories = model.PandasCategories[feature] ?? throw new AssertionException($"feature {feature} has no categories");
        var code = categories.ToList().IndexOf(value);
        return code >= 0 ? code : throw new AssertionException($"'{value}' is not a category of {model.FeatureNames[feature]}");
    }
}
