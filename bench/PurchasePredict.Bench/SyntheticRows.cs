namespace PurchasePredict.Bench;

/// <summary>
/// Deterministic rows over the demo model's features: numeric values uniform over each feature's range,
/// categorical values uniform over its codes, labels drawn with the demo model's probability.
/// With missing values: 15% of categorical and 3% of numeric cells are NaN (the demo data's brand and
/// duration rates).
/// </summary>
internal static class SyntheticRows
{
    public static (double[] Rows, float[] Labels) Generate(DemoFeatureSpace space, int seed, int rowCount, bool withMissing)
    {
        var random = new Random(seed);
        var width = space.FeatureCount;
        var rows = new double[rowCount * width];
        var labels = new float[rowCount];
        Span<double> probability = stackalloc double[1];
        for (var r = 0; r < rowCount; r++)
        {
            var row = rows.AsSpan(r * width, width);
            for (var f = 0; f < width; f++)
            {
                var categorical = space.Model.IsCategorical(f);
                row[f] = withMissing && random.NextDouble() < (categorical ? 0.15 : 0.03) ? double.NaN
                    : categorical ? random.Next(space.CategoryCount(f))
                    : space.Ranges[f].Min + random.NextDouble() * (space.Ranges[f].Max - space.Ranges[f].Min);
            }

            space.Model.Predict(row, probability);
            labels[r] = random.NextDouble() < probability[0] ? 1f : 0f;
        }

        return (rows, labels);
    }
}
