namespace PurchasePredict.NativeLightGbm;

/// <summary>Trains a model through the C API and returns its text (what <c>Booster.save_model</c> writes).</summary>
public static class NativeTrainer
{
    /// <param name="rows">Row-major features, <paramref name="rowCount"/> x <paramref name="columnCount"/>; NaN = missing.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="parameters">LightGBM parameters, e.g. <c>objective=binary num_leaves=31 categorical_feature=1,5</c>.</param>
    /// <param name="iterations">Boosting rounds (stops earlier when LightGBM cannot split any more).</param>
    /// <param name="featureNames">Column names written to the model, or null for Column_0...</param>
    public static unsafe string Train(double[] rows, int rowCount, int columnCount, float[] labels,
        string parameters, int iterations, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Length != (long)rowCount * columnCount || labels.Length != rowCount)
        {
            throw new ArgumentException($"{rowCount}x{columnCount} rows need {rowCount * columnCount} values and {rowCount} labels, got {rows.Length} and {labels.Length}");
        }

        var full = NativeParameters.WithDefaults(parameters);
        IntPtr dataset;
        fixed (double* data = rows)
        {
            NativeMethods.Check(NativeMethods.LGBM_DatasetCreateFromMat(data, NativeMethods.DTypeFloat64, rowCount,
                columnCount, 1, full, IntPtr.Zero, out dataset), "LGBM_DatasetCreateFromMat");
        }

        try
        {
            fixed (float* label = labels)
            {
                NativeMethods.Check(NativeMethods.LGBM_DatasetSetField(dataset, "label", label, rowCount,
                    NativeMethods.DTypeFloat32), "LGBM_DatasetSetField(label)");
            }

            if (featureNames is not null)
            {
                NativeMethods.Check(NativeMethods.LGBM_DatasetSetFeatureNames(dataset, [.. featureNames],
                    featureNames.Count), "LGBM_DatasetSetFeatureNames");
            }

            using var booster = NativeBooster.Create(dataset, full);
            for (var i = 0; i < iterations; i++)
            {
                if (booster.UpdateOneIteration())
                {
                    break;
                }
            }

            return booster.SaveModelToString();
        }
        finally
        {
            NativeMethods.LGBM_DatasetFree(dataset);
        }
    }
}
