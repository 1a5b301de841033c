using System.Globalization;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Bench;

/// <summary>
/// The demo model's inputs (models/demo/model.txt): feature names, the range of each numeric feature
/// (its <c>feature_infos</c> line, <c>[min:max]</c>), the categories of each categorical feature (its
/// <c>pandas_categorical</c> list) and the model itself, which labels synthetic rows. A model trained on such
/// rows takes the tutorial's request bodies as they are.
/// </summary>
internal sealed class DemoFeatureSpace
{
    private const string PandasMarker = "\npandas_categorical:";

    private DemoFeatureSpace(LightGbmModel model, (double Min, double Max)[] ranges, string pandasSuffix)
    {
        Model = model;
        Ranges = ranges;
        PandasSuffix = pandasSuffix;
    }

    public LightGbmModel Model { get; }

    public int FeatureCount => Model.FeatureCount;

    /// <summary>Range of numeric feature i; unused for categorical ones.</summary>
    public IReadOnlyList<(double Min, double Max)> Ranges { get; }

    /// <summary>The demo model's <c>pandas_categorical</c> line, appended to models trained on this space.</summary>
    public string PandasSuffix { get; }

    public string CategoricalFeatureList =>
        string.Join(",", Enumerable.Range(0, FeatureCount).Where(Model.IsCategorical));

    public int CategoryCount(int feature) =>
        Model.PandasCategories[feature]?.Count
        ?? throw new InvalidOperationException($"feature {Model.FeatureNames[feature]} has no pandas categories in {RepositoryPaths.DemoModel}");

    public static DemoFeatureSpace Load(string path)
    {
        var text = File.ReadAllText(path);
        var model = LightGbmModel.Parse(text);
        var infos = text.Split('\n').FirstOrDefault(line => line.StartsWith("feature_infos=", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"{path}: no feature_infos line");
        var fields = infos["feature_infos=".Length..].Split(' ');
        if (fields.Length != model.FeatureCount)
        {
            throw new InvalidDataException($"{path}: feature_infos has {fields.Length} fields for {model.FeatureCount} features");
        }

        var ranges = fields.Select((field, i) => model.IsCategorical(i) ? (0, 0) : Range(path, field)).ToArray();
        var marker = text.IndexOf(PandasMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new InvalidDataException($"{path}: no pandas_categorical line");
        }

        return new DemoFeatureSpace(model, ranges, text[marker..]);
    }

    private static (double, double) Range(string path, string field)
    {
        var parts = field.Trim('[', ']').Split(':');
        if (field[0] != '[' || parts.Length != 2
            || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var max))
        {
            throw new InvalidDataException($"{path}: feature_infos field '{field}' should be [min:max]");
        }

        return (min, max);
    }
}
