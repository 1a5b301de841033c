using System.Security.Cryptography;
using System.Text;
using PurchasePredict.NativeLightGbm;

namespace PurchasePredict.Bench;

/// <summary>
/// A benchmark model: 300 trees of up to 60 leaves trained by native LightGBM on synthetic rows over the demo
/// model's 13 features. "numeric" has numeric splits only and no missing values; "categorical" declares
/// brand, category and sub_category categorical, has missing values in every column and carries the demo
/// model's pandas_categorical line, so the service answers the tutorial's body with it (the 300-tree model of
/// the Flask comparison). Training is deterministic; the text is cached in bench/models/ under a hash of
/// everything it depends on.
/// </summary>
internal sealed record BenchModel(string Name, bool Categorical)
{
    public const int Trees = 300;
    public const int Leaves = 60;
    private const int TrainingRows = 30_000;
    private const int TrainingSeed = 20251125;

    public static readonly BenchModel Numeric = new("numeric", Categorical: false);
    public static readonly BenchModel CategoricalWithMissing = new("categorical", Categorical: true);
    public static readonly IReadOnlyList<BenchModel> All = [Numeric, CategoricalWithMissing];

    public static BenchModel Named(string name) => All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"no benchmark model '{name}'; known: {string.Join(", ", All.Select(m => m.Name))}");

    private string Parameters(DemoFeatureSpace space) =>
        $"objective=binary num_leaves={Leaves} learning_rate=0.05 min_data_in_leaf=20 seed=42 deterministic=true force_row_wise=true"
        + (Categorical ? $" categorical_feature={space.CategoricalFeatureList} min_data_per_group=50 cat_smooth=10" : "");

    /// <summary>The model file, trained now (a few seconds) unless the cache has it.</summary>
    public string EnsureFile()
    {
        var demoText = File.ReadAllText(RepositoryPaths.DemoModel);
        var space = DemoFeatureSpace.Load(RepositoryPaths.DemoModel);
        var parameters = Parameters(space);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{parameters}|{Trees}|{TrainingRows}|{TrainingSeed}|{Categorical}|{demoText}")))[..12];
        var path = Path.Combine(RepositoryPaths.ModelCache, $"{Name}-{Trees}x{Leaves}-{key}.txt");
        if (!File.Exists(path))
        {
            var (rows, labels) = SyntheticRows.Generate(space, TrainingSeed, TrainingRows, withMissing: Categorical);
            var text = NativeTrainer.Train(rows, TrainingRows, space.FeatureCount, labels, parameters, Trees,
                space.Model.FeatureNames) + (Categorical ? space.PandasSuffix : "");
            Directory.CreateDirectory(RepositoryPaths.ModelCache);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }

    /// <summary>Rows to predict, from another seed than training, with missing values when the model has them.</summary>
    public double[] Rows(int rowCount) =>
        SyntheticRows.Generate(DemoFeatureSpace.Load(RepositoryPaths.DemoModel), TrainingSeed + 1, rowCount, withMissing: Categorical).Rows;
}
