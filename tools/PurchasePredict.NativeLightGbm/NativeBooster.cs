using System.Text;

namespace PurchasePredict.NativeLightGbm;

/// <summary>A LightGBM booster handle: created for training or loaded from model text; freed on Dispose.</summary>
public sealed class NativeBooster : IDisposable
{
    private IntPtr _handle;

    private NativeBooster(IntPtr handle)
    {
        _handle = handle;
        NativeMethods.Check(NativeMethods.LGBM_BoosterGetNumClasses(handle, out var classes), "LGBM_BoosterGetNumClasses");
        NativeMethods.Check(NativeMethods.LGBM_BoosterGetNumFeature(handle, out var features), "LGBM_BoosterGetNumFeature");
        ClassCount = classes;
        FeatureCount = features;
    }

    public int ClassCount { get; }

    public int FeatureCount { get; }

    internal IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(NativeBooster));

    public static NativeBooster FromModelText(string modelText)
    {
        ArgumentNullException.ThrowIfNull(modelText);
        NativeMethods.Check(NativeMethods.LGBM_BoosterLoadModelFromString(modelText, out _, out var handle),
            "LGBM_BoosterLoadModelFromString");
        return new NativeBooster(handle);
    }

    internal static NativeBooster Create(IntPtr dataset, string parameters)
    {
        NativeMethods.Check(NativeMethods.LGBM_BoosterCreate(dataset, parameters, out var handle), "LGBM_BoosterCreate");
        return new NativeBooster(handle);
    }

    /// <summary>One boosting round; true when LightGBM reports it cannot improve any more.</summary>
    internal bool UpdateOneIteration()
    {
        NativeMethods.Check(NativeMethods.LGBM_BoosterUpdateOneIter(Handle, out var finished), "LGBM_BoosterUpdateOneIter");
        return finished != 0;
    }

    internal unsafe string SaveModelToString()
    {
        NativeMethods.Check(NativeMethods.LGBM_BoosterSaveModelToString(Handle, 0, -1, 0, 0, out var length, null),
            "LGBM_BoosterSaveModelToString");
        var buffer = new byte[length];
        fixed (byte* data = buffer)
        {
            NativeMethods.Check(NativeMethods.LGBM_BoosterSaveModelToString(Handle, 0, -1, 0, length, out length, data),
                "LGBM_BoosterSaveModelToString");
        }

        // The length includes the terminating NUL.
        return Encoding.UTF8.GetString(buffer, 0, (int)length - 1);
    }

    /// <summary>LGBM_BoosterPredictForMat on row-major rows: ClassCount values per row.</summary>
    /// <param name="raw">Raw scores instead of transformed outputs.</param>
    /// <param name="iterations">First N iterations; 0 = all.</param>
    public unsafe double[] Predict(double[] rows, int rowCount, bool raw = false, int iterations = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length != (long)rowCount * FeatureCount)
        {
            throw new ArgumentException($"{rowCount} rows of {FeatureCount} features need {rowCount * FeatureCount} values, got {rows.Length}");
        }

        var result = new double[(long)rowCount * ClassCount];
        fixed (double* data = rows)
        fixed (double* output = result)
        {
            NativeMethods.Check(NativeMethods.LGBM_BoosterPredictForMat(Handle, data, NativeMethods.DTypeFloat64,
                rowCount, FeatureCount, 1, raw ? NativeMethods.PredictRawScore : NativeMethods.PredictNormal, 0,
                iterations, NativeParameters.WithDefaults(""), out var length, output), "LGBM_BoosterPredictForMat");
            if (length != result.Length)
            {
                throw new NativeLightGbmException($"LGBM_BoosterPredictForMat wrote {length} values, expected {result.Length}");
            }
        }

        return result;
    }

    /// <summary>Convenience: load model text, predict, free.</summary>
    public static double[] Predict(string modelText, double[] rows, int rowCount, bool raw = false, int iterations = 0)
    {
        using var booster = FromModelText(modelText);
        return booster.Predict(rows, rowCount, raw, iterations);
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            NativeMethods.LGBM_BoosterFree(_handle);
            _handle = IntPtr.Zero;
        }
    }
}
