namespace PurchasePredict.LightGbm.Tests;

/// <summary>How a generated column looks: LightGBM treats each kind differently (bins, zero bins, categories).</summary>
internal enum ColumnKind
{
    Normal,
    SmallInteger,
    MostlyZero,
    Categorical,
}

/// <summary>What the labels of a scenario must look like for its objective.</summary>
internal enum LabelKind
{
    Binary,
    Classes,
    Real,
    Count,
    Positive,
    Probability,
}

internal sealed record Column(ColumnKind Kind, double NanFraction, int Categories, double Weight);

/// <summary>
/// Random training data with a learnable signal: numerical, integer, mostly-zero and categorical columns,
/// with or without NaNs; plus prediction rows salted with the values that stress missing-value and
/// categorical handling (NaN, ±0, negatives, fractions, huge values, infinities).
/// </summary>
internal sealed class RandomDataset
{
    private static readonly double[] EdgeValues =
        [double.NaN, 0.0, -0.0, 1e-30, 1e-36, -1e-36, -(double)1e-35f, (double)1e-35f, -1.0, -0.5, 0.5, 2.7, 31.0, 32.0, 1000.0, 1e10, 1e300, double.PositiveInfinity, double.NegativeInfinity];

    private readonly Random _random;
    private readonly double[][] _categoryEffects;

    public RandomDataset(int seed, int columnCount, int categoricalCount, bool withNan)
    {
        _random = new Random(seed);
        Columns = new Column[columnCount];
        for (var i = 0; i < columnCount; i++)
        {
            var kind = i < categoricalCount ? ColumnKind.Categorical : (ColumnKind)_random.Next(3);
            var nan = withNan && _random.NextDouble() < 0.6 ? 0.05 + (0.25 * _random.NextDouble()) : 0;
            Columns[i] = new Column(kind, nan, 2 + _random.Next(40), (_random.NextDouble() * 2) - 1);
        }

        // Shuffle so categorical columns are not always first.
        _random.Shuffle(Columns);
        _categoryEffects = Columns.Select(c => Enumerable.Range(0, c.Categories).Select(_ => Normal() * 1.5).ToArray()).ToArray();
    }

    public Column[] Columns { get; }

    public int ColumnCount => Columns.Length;

    public string CategoricalFeatureParameter =>
        string.Join(",", Enumerable.Range(0, ColumnCount).Where(i => Columns[i].Kind == ColumnKind.Categorical));

    /// <summary>Row-major rows drawn from the training distribution; with edge values, some cells get a stress value.</summary>
    public double[] Rows(int count, double edgeFraction = 0)
    {
        var rows = new double[count * ColumnCount];
        for (var r = 0; r < count; r++)
        {
            for (var c = 0; c < ColumnCount; c++)
            {
                rows[(r * ColumnCount) + c] = _random.NextDouble() < edgeFraction
                    ? EdgeValues[_random.Next(EdgeValues.Length)]
                    : Value(Columns[c]);
            }
        }

        return rows;
    }

    public float[] Labels(double[] rows, LabelKind kind, int classes = 1)
    {
        var count = rows.Length / ColumnCount;
        var labels = new float[count];
        for (var r = 0; r < count; r++)
        {
            var row = rows.AsSpan(r * ColumnCount, ColumnCount);
            var score = Score(row, 0) + (0.3 * Normal());
            labels[r] = kind switch
            {
                LabelKind.Binary => score > 0 ? 1 : 0,
                LabelKind.Classes => ArgMaxClass(row, classes),
                LabelKind.Real => (float)(3 * score),
                LabelKind.Count => (float)Math.Floor(Math.Exp(Math.Clamp(score, -3, 3)) * 2 * _random.NextDouble()),
                LabelKind.Positive => (float)(Math.Exp(Math.Clamp(score, -3, 3)) * (0.5 + _random.NextDouble())),
                LabelKind.Probability => (float)(1 / (1 + Math.Exp(-2 * score))),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }

        return labels;
    }

    private float ArgMaxClass(ReadOnlySpan<double> row, int classes)
    {
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var k = 0; k < classes; k++)
        {
            var score = Score(row, k + 1) + (0.3 * Normal());
            if (score > bestScore)
            {
                (best, bestScore) = (k, score);
            }
        }

        return best;
    }

    /// <summary>A per-class latent score: each class mixes the column effects differently.</summary>
    private double Score(ReadOnlySpan<double> row, int variant)
    {
        var score = 0.0;
        for (var c = 0; c < ColumnCount; c++)
        {
            var column = Columns[c];
            var weight = Math.Sin(column.Weight * (variant + 1) * 3.1);
            var x = row[c];
            score += double.IsNaN(x) ? 0.4 * weight : column.Kind switch
            {
                ColumnKind.Categorical => _categoryEffects[c][((int)x % column.Categories + column.Categories) % column.Categories] * weight,
                ColumnKind.MostlyZero => (x == 0 ? -0.7 : 0.7) * weight,
                _ => Math.Tanh(x / 2) * weight,
            };
        }

        return score;
    }

    private double Value(Column column)
    {
        if (_random.NextDouble() < column.NanFraction)
        {
            return double.NaN;
        }

        return column.Kind switch
        {
            ColumnKind.Normal => Math.Round(Normal() * 3, 3),
            ColumnKind.SmallInteger => _random.Next(-2, 6),
            ColumnKind.MostlyZero => _random.NextDouble() < 0.7 ? 0 : Math.Round(Normal() * 2, 2),
            ColumnKind.Categorical => _random.Next(column.Categories),
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
    }

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
