namespace PurchasePredict.LightGbm.Tests;

/// <summary>One randomly trained model: objective and tree-shape parameters plus the shape of its data.</summary>
public sealed record TrainingScenario(
    string Name,
    string Parameters,
    int Seed,
    int Columns = 8,
    int CategoricalColumns = 2,
    bool WithNan = true,
    int Iterations = 30,
    int TrainingRows = 2000)
{
    internal LabelKind Labels => Objective switch
    {
        "binary" => LabelKind.Binary,
        "multiclass" or "multiclassova" => LabelKind.Classes,
        "poisson" or "tweedie" => LabelKind.Count,
        "gamma" or "mape" => LabelKind.Positive,
        "cross_entropy" or "cross_entropy_lambda" => LabelKind.Probability,
        _ => LabelKind.Real,
    };

    internal int Classes => ParameterValue("num_class") is { } n ? int.Parse(n) : 1;

    private string Objective => ParameterValue("objective") ?? "regression";

    /// <summary>Trains through the C API; returns the dataset (for drawing more rows) and the model text.</summary>
    internal (RandomDataset Data, string ModelText) Train()
    {
        var data = new RandomDataset(Seed, Columns, CategoricalColumns, WithNan);
        var rows = data.Rows(TrainingRows);
        var labels = data.Labels(rows, Labels, Classes);
        var categorical = data.CategoricalFeatureParameter;
        var parameters = $"{Parameters} seed={Seed} deterministic=true" +
            (categorical.Length > 0 ? $" categorical_feature={categorical}" : "");
        return (data, NativeTrainer.Train(rows, TrainingRows, Columns, labels, parameters, Iterations));
    }

    private string? ParameterValue(string key) => Parameters.Split(' ')
        .Select(p => p.Split('='))
        .Where(kv => kv.Length == 2 && kv[0] == key)
        .Select(kv => kv[1])
        .FirstOrDefault();

    public override string ToString() => Name;
}
