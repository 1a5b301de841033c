using System.Globalization;
using System.Text;

namespace PurchasePredict.LightGbm.Tests;

/// <summary>
/// The fast evaluator (SplitMaskForest) with 256-bit and with 128-bit shuffles, and the plain walk, give
/// bit-identical raw scores: NativeAgreementTests checks only the path this machine picks, so the others are
/// checked here against the walk. Also: which forests the fast path takes, and the byte-bin boundary.
/// </summary>
public sealed class EvaluatorPathTests
{
    private static readonly TrainingScenario[] Scenarios =
    [
        new("binary, NaNs, categorical", "objective=binary", 1),
        new("regression, zero as missing, categorical", "objective=regression zero_as_missing=true", 31, CategoricalColumns: 4),
        new("binary, use_missing=false", "objective=binary use_missing=false", 4),
        new("binary, many-vs-many categorical splits", "objective=binary cat_smooth=1 min_data_per_group=5 max_cat_threshold=64 cat_l2=1", 9, Columns: 10, CategoricalColumns: 5),
        new("multiclass 5, categorical", "objective=multiclass num_class=5 num_leaves=15", 17, CategoricalColumns: 3, Iterations: 15),
        new("regression, wide (two shuffle tables)", "objective=regression num_leaves=40", 32, Columns: 30, CategoricalColumns: 6, Iterations: 20),
        new("binary, 64 leaves", "objective=binary num_leaves=64 min_data_in_leaf=2", 36, TrainingRows: 3000, Iterations: 10),
        new("constant trees only", "objective=binary min_data_in_leaf=100000", 33, Iterations: 3),
        new("linear trees, binary, categorical and NaN", "objective=binary linear_tree=true num_leaves=7", 35, CategoricalColumns: 2),
    ];

    [TestCaseSource(nameof(Scenarios))]
    public void SplitMasks_GiveTheWalksRawScores_OnEveryShuffleWidth(TrainingScenario scenario)
    {
        var (data, text) = scenario.Train();
        var walk = LightGbmModel.Parse(text, EvaluatorPath.Walk);
        var fastest = LightGbmModel.Parse(text, EvaluatorPath.Fastest);
        var narrow = LightGbmModel.Parse(text, EvaluatorPath.SplitMasks128);
        var rows = data.Rows(2000, edgeFraction: 0.2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(walk.UsesSplitMasks, Is.False);
            Assert.That(fastest.UsesSplitMasks, Is.True);
            Assert.That(narrow.UsesSplitMasks, Is.True);
            foreach (var iterations in new[] { 0, 1, Math.Max(1, walk.IterationCount / 3) })
            {
                var expected = RawScores(walk, rows, iterations);
                Assert.That(RawScores(fastest, rows, iterations), Is.EqualTo(expected), $"fastest, iterations={iterations}");
                Assert.That(RawScores(narrow, rows, iterations), Is.EqualTo(expected), $"128-bit, iterations={iterations}");
            }
        }
    }

    [Test]
    public void Parse_TreesOver64Leaves_AreWalked()
    {
        var (_, text) = new TrainingScenario("65 leaves", "objective=binary num_leaves=65 min_data_in_leaf=2", 37,
            TrainingRows: 3000, Iterations: 5).Train();

        Assert.That(LightGbmModel.Parse(text).UsesSplitMasks, Is.False);
    }

    /// <summary>Bins are bytes: 255 thresholds on a feature give bins 0 to 255 (fast path); 256 do not fit (walked).</summary>
    [TestCase(255, true)]
    [TestCase(256, false)]
    public void Parse_ThresholdsPerFeature_DecideThePath_AndBothPredictExactly(int thresholds, bool usesSplitMasks)
    {
        var model = LightGbmModel.Parse(StumpModel(thresholds));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.UsesSplitMasks, Is.EqualTo(usesSplitMasks));
            Span<double> score = stackalloc double[1];
            foreach (var x in new[] { double.NegativeInfinity, -1.0, 0.0, 0.5, 1.0, 1.5, 127.0, 254.5, thresholds - 1.0, thresholds, 1e9, double.PositiveInfinity })
            {
                model.PredictRaw([x], score);

                // Stump i splits at i + 0.5 (x <= it goes left, 0), else right (1): the score counts the thresholds below x.
                var below = Enumerable.Range(0, thresholds).Count(i => i + 0.5 < x);
                Assert.That(score[0], Is.EqualTo(below), $"x={x}");
            }
        }
    }

    [Test]
    public void Parse_NaNThreshold_IsWalked()
    {
        Assert.That(LightGbmModel.Parse(StumpModel(3).Replace("threshold=1.5", "threshold=nan")).UsesSplitMasks, Is.False);
    }

    private static double[] RawScores(LightGbmModel model, double[] rows, int iterations)
    {
        var count = rows.Length / model.FeatureCount;
        var scores = new double[count * model.ClassCount];
        for (var r = 0; r < count; r++)
        {
            model.PredictRaw(rows.AsSpan(r * model.FeatureCount, model.FeatureCount),
                scores.AsSpan(r * model.ClassCount, model.ClassCount), iterations);
        }

        return scores;
    }

    /// <summary>A regression model of <paramref name="trees"/> stumps on feature x, stump i at threshold i + 0.5, leaves 0 and 1.</summary>
    private static string StumpModel(int trees)
    {
        var text = new StringBuilder("""
            tree
            version=v4
            num_class=1
            num_tree_per_iteration=1
            max_feature_idx=0
            objective=regression
            feature_names=x

            """);
        for (var i = 0; i < trees; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                Tree={i}
                num_leaves=2
                split_feature=0
                threshold={i + 0.5}
                decision_type=2
                left_child=-1
                right_child=-2
                leaf_value=0 1


                """);
        }

        return text.Append("end of trees\n").ToString();
    }
}
