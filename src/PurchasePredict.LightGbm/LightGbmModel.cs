namespace PurchasePredict.LightGbm;

/// <summary>
/// A LightGBM text model (what <c>Booster.save_model</c> writes), parsed once into flat arrays and evaluated
/// in C# exactly as LightGBM does. Immutable and thread-safe; predicting allocates nothing.
/// </summary>
public sealed class LightGbmModel
{
    private readonly Forest _forest;
    private readonly OutputTransform _transform;
    private readonly bool[] _categorical;
    private readonly bool _averageOutput;

    private LightGbmModel(ModelText text, EvaluatorPath path)
    {
        var header = text.Header;
        var classCount = PositiveInt(header, header.Require("num_class"));
        var treesPerIteration = header.Find("num_tree_per_iteration") is { } perIteration
            ? PositiveInt(header, perIteration)
            : classCount;
        if (treesPerIteration != classCount)
        {
            throw header.Error(header.Require("num_tree_per_iteration"),
                $"is {treesPerIteration}, but num_class is {classCount}; this evaluator needs one tree per class and iteration");
        }

        var maxFeatureIndex = header.Require("max_feature_idx");
        var featureCount = FieldValues.Int(header, maxFeatureIndex) + 1;
        if (featureCount < 1)
        {
            throw header.Error(maxFeatureIndex, "should be at least 0");
        }

        var names = header.Require("feature_names");
        FeatureNames = Array.AsReadOnly(names.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (FeatureNames.Count != featureCount)
        {
            throw header.Error(names, $"lists {FeatureNames.Count} names, but max_feature_idx says {featureCount} features");
        }

        _transform = OutputTransform.FromObjective(header, header.Find("objective"), classCount);
        Objective = header.Find("objective")?.Value.Trim() ?? "";
        Version = header.Find("version")?.Value.Trim();
        _averageOutput = header.Contains("average_output");
        ClassCount = classCount;

        if (text.Trees.Count % classCount != 0)
        {
            throw new ModelFormatException(
                $"the model has {text.Trees.Count} trees, not a multiple of num_tree_per_iteration={classCount}");
        }

        var builder = new ForestBuilder(featureCount);
        foreach (var tree in text.Trees)
        {
            builder.Add(tree);
        }

        _forest = builder.Build(path);
        _categorical = CategoricalFeatures.Find(text, FeatureNames, _forest);
        PandasCategories = Array.AsReadOnly(CategoricalFeatures.MapPandasCategories(text, _categorical));
    }

    /// <summary>Feature names in model order (the header's <c>feature_names</c>).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    public int FeatureCount => FeatureNames.Count;

    /// <summary>Outputs per row: 1 for binary and regression, num_class for multiclass.</summary>
    public int ClassCount { get; }

    public int TreeCount => _forest.TreeCount;

    public int IterationCount => _forest.TreeCount / ClassCount;

    public ModelKind Kind => _transform.Kind;

    /// <summary>The <c>objective=</c> line, e.g. <c>binary sigmoid:1</c>; empty when the file has none.</summary>
    public string Objective { get; }

    /// <summary>The <c>version=</c> line, e.g. <c>v4</c>; null when absent.</summary>
    public string? Version { get; }

    /// <summary>
    /// For each feature index, the pandas category strings in code order (code = list index), or null.
    /// See <see cref="CategoricalFeatures"/> for how lists are matched to features.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>?> PandasCategories { get; }

    public static LightGbmModel Parse(string text) => new(ModelText.Split(text), EvaluatorPath.Fastest);

    /// <summary>For tests: the model evaluated by a chosen path.</summary>
    internal static LightGbmModel Parse(string text, EvaluatorPath path) => new(ModelText.Split(text), path);

    /// <summary>Whether the fast evaluator (<see cref="SplitMaskForest"/>) took this model.</summary>
    internal bool UsesSplitMasks => _forest.UsesSplitMasks;

    public static LightGbmModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"cannot read model file '{path}': {e.Message}", e);
        }

        try
        {
            return Parse(text);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether LightGBM treats the feature as categorical: its value is an integer code (NaN or negative =
    /// missing, which always goes right) instead of a number compared with a threshold.
    /// </summary>
    public bool IsCategorical(int featureIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(featureIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(featureIndex, FeatureCount);
        return _categorical[featureIndex];
    }

    /// <summary>Sums the trees without the objective's transform (LightGBM's raw score).</summary>
    /// <param name="features">FeatureCount values in model order; NaN = missing; categorical features as codes.</param>
    /// <param name="output">ClassCount values.</param>
    /// <param name="iterations">Use the first N iterations; 0 or more than IterationCount = all, as in LightGBM.</param>
    public void PredictRaw(ReadOnlySpan<double> features, Span<double> output, int iterations = 0)
    {
        CheckRow(features.Length, output.Length);
        SumTrees(features, output, UsedIterations(iterations));
    }

    /// <summary>Sums the trees and applies the objective's transform (sigmoid, softmax, exp...).</summary>
    /// <remarks>Random-forest models (<c>average_output</c>) divide the sums by the iterations used first.</remarks>
    public void Predict(ReadOnlySpan<double> features, Span<double> output, int iterations = 0)
    {
        CheckRow(features.Length, output.Length);
        var used = UsedIterations(iterations);
        SumTrees(features, output, used);
        Transform(output, used);
    }

    /// <summary>Predicts <paramref name="rowCount"/> rows stored row-major, ClassCount outputs per row.</summary>
    public void Predict(ReadOnlySpan<double> rows, int rowCount, Span<double> output, int iterations = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (rows.Length != (long)rowCount * FeatureCount)
        {
            throw new ArgumentException(
                $"{rowCount} rows of {FeatureCount} features need {(long)rowCount * FeatureCount} values, got {rows.Length}", nameof(rows));
        }

        if (output.Length != (long)rowCount * ClassCount)
        {
            throw new ArgumentException(
                $"{rowCount} rows need {(long)rowCount * ClassCount} outputs ({ClassCount} per row), got {output.Length}", nameof(output));
        }

        var used = UsedIterations(iterations);
        for (var row = 0; row < rowCount; row++)
        {
            var scores = output.Slice(row * ClassCount, ClassCount);
            SumTrees(rows.Slice(row * FeatureCount, FeatureCount), scores, used);
            Transform(scores, used);
        }
    }

    private void SumTrees(ReadOnlySpan<double> features, Span<double> output, int iterations)
    {
        output.Clear();
        _forest.AddTrees(features, output, iterations);
    }

    /// <summary>GBDT::Predict: random-forest models average the trees (raw scores stay sums), then the transform.</summary>
    private void Transform(Span<double> scores, int iterations)
    {
        if (_averageOutput)
        {
            for (var k = 0; k < scores.Length; k++)
            {
                scores[k] /= iterations;
            }
        }

        _transform.Apply(scores);
    }

    private int UsedIterations(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        return iterations == 0 || iterations > IterationCount ? IterationCount : iterations;
    }

    private void CheckRow(int featureLength, int outputLength)
    {
        if (featureLength != FeatureCount)
        {
            throw new ArgumentException($"the model expects {FeatureCount} features, got {featureLength}", "features");
        }

        if (outputLength != ClassCount)
        {
            throw new ArgumentException($"the model writes {ClassCount} outputs per row, got room for {outputLength}", "output");
        }
    }

    private static int PositiveInt(FieldBlock header, Field field)
    {
        var value = FieldValues.Int(header, field);
        return value >= 1 ? value : throw header.Error(field, $"should be at least 1, found {value}");
    }
}
