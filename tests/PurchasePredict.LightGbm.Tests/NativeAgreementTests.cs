namespace PurchasePredict.LightGbm.Tests;

/// <summary>
/// Ground truth is native LightGBM: train a model through the C API, save it as text, and check that our
/// evaluator gives what LGBM_BoosterPredictForMat gives, on thousands of rows, all iterations and fewer.
/// Models with trees up to 64 leaves take the fast evaluator (SplitMaskForest, with the widest shuffle this
/// machine has); the 127-leaf scenario is walked node by node. EvaluatorPathTests checks the other paths.
/// </summary>
public sealed class NativeAgreementTests
{
    private const int PredictedRows = 3000;

    /// <summary>Relative to the value's size above 1: exp() in .NET and glibc may differ in the last bit.</summary>
    private const double Tolerance = 1e-12;

    private static readonly TrainingScenario[] Scenarios =
    [
        new("binary, NaNs, categorical", "objective=binary", 1),
        new("binary, sigmoid 0.7", "objective=binary sigmoid=0.7", 2),
        new("binary, zero as missing", "objective=binary zero_as_missing=true", 3),
        new("binary, use_missing=false", "objective=binary use_missing=false", 4),
        new("binary, stumps", "objective=binary num_leaves=2", 5, Iterations: 60),
        new("binary, 63 leaves depth 8", "objective=binary num_leaves=63 max_depth=8 min_data_in_leaf=5", 6),
        new("binary, depth 3", "objective=binary max_depth=3 num_leaves=8", 7),
        new("binary, one-hot categorical splits", "objective=binary max_cat_to_onehot=64", 8, CategoricalColumns: 3),
        new("binary, many-vs-many categorical splits", "objective=binary cat_smooth=1 min_data_per_group=5 max_cat_threshold=64 cat_l2=1", 9, Columns: 10, CategoricalColumns: 5),
        new("binary, no NaN in training", "objective=binary", 10, WithNan: false),
        new("binary, numerical only, extra trees", "objective=binary extra_trees=true", 11, CategoricalColumns: 0),
        new("binary, 127 leaves", "objective=binary num_leaves=127 min_data_in_leaf=2 min_sum_hessian_in_leaf=0", 12, TrainingRows: 3000, Iterations: 15),
        new("binary, random forest (average_output)", "objective=binary boosting=rf bagging_freq=1 bagging_fraction=0.6", 13),
        new("binary, dart", "objective=binary boosting=dart drop_rate=0.3", 14),
        new("binary, goss", "objective=binary data_sample_strategy=goss", 15),
        new("multiclass 3", "objective=multiclass num_class=3", 16),
        new("multiclass 5, categorical", "objective=multiclass num_class=5 num_leaves=15", 17, CategoricalColumns: 3, Iterations: 15),
        new("multiclassova 4", "objective=multiclassova num_class=4 sigmoid=1.3", 18, Iterations: 15),
        new("regression", "objective=regression", 19),
        new("regression, sqrt", "objective=regression reg_sqrt=true", 20),
        new("regression_l1", "objective=regression_l1", 21),
        new("huber", "objective=huber alpha=1.5", 22),
        new("quantile", "objective=quantile alpha=0.7", 23),
        new("fair", "objective=fair", 24),
        new("mape", "objective=mape", 25),
        new("poisson", "objective=poisson", 26),
        new("gamma", "objective=gamma", 27),
        new("tweedie", "objective=tweedie tweedie_variance_power=1.3", 28),
        new("cross_entropy", "objective=cross_entropy", 29),
        new("cross_entropy_lambda", "objective=cross_entropy_lambda", 30),
        new("regression, zero as missing, categorical", "objective=regression zero_as_missing=true", 31, CategoricalColumns: 4),
        new("regression, wide", "objective=regression num_leaves=40", 32, Columns: 30, CategoricalColumns: 6, Iterations: 20),
        new("constant trees only", "objective=binary min_data_in_leaf=100000", 33, Iterations: 3),
        new("linear trees, regression", "objective=regression linear_tree=true linear_lambda=0.1", 34, CategoricalColumns: 0),
        new("linear trees, binary, categorical and NaN", "objective=binary linear_tree=true num_leaves=7", 35, CategoricalColumns: 2),
    ];

    [TestCaseSource(nameof(Scenarios))]
    [TestCaseSource(nameof(RandomScenarios))]
    public void Predictions_EqualNativeLightGbm(TrainingScenario scenario)
    {
        var (data, modelText) = scenario.Train();
        var model = LightGbmModel.Parse(modelText);
        using var native = NativeBooster.FromModelText(modelText);
        var rows = data.Rows(PredictedRows, edgeFraction: 0.1);
        var fewer = Math.Max(1, model.IterationCount / 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.ClassCount, Is.EqualTo(native.ClassCount));
            Assert.That(model.FeatureCount, Is.EqualTo(native.FeatureCount));
            AssertSame(model, native, rows, raw: false, iterations: 0);
            AssertSame(model, native, rows, raw: true, iterations: 0);
            AssertSame(model, native, rows, raw: false, iterations: fewer);
            AssertSame(model, native, rows, raw: true, iterations: fewer);

            // Most but not all iterations: the last round of 64 trees is cut short.
            AssertSame(model, native, rows, raw: false, iterations: Math.Max(1, model.IterationCount - 1));
        }
    }

    /// <summary>Random mixes of objective, tree shape, missing-value settings and data shape (fixed seeds).</summary>
    private static IEnumerable<TrainingScenario> RandomScenarios()
    {
        string[] objectives =
        [
            "objective=binary", "objective=binary sigmoid=2", "objective=multiclass num_class=3",
            "objective=multiclassova num_class=3", "objective=regression", "objective=poisson", "objective=huber",
            "objective=cross_entropy", "objective=gamma", "objective=tweedie",
        ];
        var random = new Random(2026);
        for (var i = 0; i < 40; i++)
        {
            var parameters = string.Join(' ',
                objectives[random.Next(objectives.Length)],
                $"num_leaves={new[] { 2, 3, 7, 15, 31, 63 }[random.Next(6)]}",
                $"max_depth={new[] { -1, -1, 2, 4, 6 }[random.Next(5)]}",
                $"min_data_in_leaf={new[] { 1, 5, 20 }[random.Next(3)]}",
                $"max_cat_to_onehot={new[] { 4, 32 }[random.Next(2)]}",
                $"zero_as_missing={random.Next(4) == 0}",
                $"use_missing={random.Next(5) != 0}",
                $"learning_rate={0.05 + (0.3 * random.NextDouble()):0.###}");
            yield return new TrainingScenario($"random {i}: {parameters}", parameters, 100 + i,
                Columns: random.Next(3, 16), CategoricalColumns: random.Next(0, 4), WithNan: random.Next(3) != 0,
                Iterations: random.Next(1, 40), TrainingRows: random.Next(300, 3000));
        }
    }

    private static void AssertSame(LightGbmModel model, NativeBooster native, double[] rows, bool raw, int iterations)
    {
        var count = rows.Length / model.FeatureCount;
        var expected = native.Predict(rows, count, raw, iterations);
        var actual = new double[expected.Length];
        for (var r = 0; r < count; r++)
        {
            var features = rows.AsSpan(r * model.FeatureCount, model.FeatureCount);
            var output = actual.AsSpan(r * model.ClassCount, model.ClassCount);
            if (raw)
            {
                model.PredictRaw(features, output, iterations);
            }
            else
            {
                model.Predict(features, output, iterations);
            }
        }

        var worst = Enumerable.Range(0, expected.Length)
            .Select(i => (Index: i, Error: Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i]))))
            .MaxBy(e => e.Error);
        var row = worst.Index / model.ClassCount;
        Assert.That(worst.Error, Is.LessThanOrEqualTo(Tolerance),
            $"{(raw ? "raw" : "transformed")}, iterations={iterations}: row {row} " +
            $"[{string.Join(", ", rows.Skip(row * model.FeatureCount).Take(model.FeatureCount))}] output {worst.Index % model.ClassCount}: " +
            $"ours {actual[worst.Index]:R}, native {expected[worst.Index]:R}");
    }
}
