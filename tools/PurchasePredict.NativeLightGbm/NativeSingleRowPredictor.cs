namespace PurchasePredict.NativeLightGbm;

/// <summary>
/// LightGBM's fastest single-row path (LGBM_BoosterPredictForMatSingleRowFast with a prepared FastConfig):
/// the native side of the single-row benchmark.
/// </summary>
public sealed class NativeSingleRowPredictor : IDisposable
{
    private readonly NativeBooster _booster;
    private IntPtr _config;

    public NativeSingleRowPredictor(NativeBooster booster, bool raw = false)
    {
        _booster = booster ?? throw new ArgumentNullException(nameof(booster));
        NativeMethods.Check(NativeMethods.LGBM_BoosterPredictForMatSingleRowFastInit(booster.Handle,
            raw ? NativeMethods.PredictRawScore : NativeMethods.PredictNormal, 0, -1, NativeMethods.DTypeFloat64,
            booster.FeatureCount, NativeParameters.WithDefaults(""), out _config), "LGBM_BoosterPredictForMatSingleRowFastInit");
    }

    public unsafe void Predict(ReadOnlySpan<double> row, Span<double> output)
    {
        if (_config == IntPtr.Zero)
        {
            throw new ObjectDisposedException(nameof(NativeSingleRowPredictor));
        }

        if (row.Length != _booster.FeatureCount || output.Length != _booster.ClassCount)
        {
            throw new ArgumentException($"expected {_booster.FeatureCount} features and room for {_booster.ClassCount} outputs, got {row.Length} and {output.Length}");
        }

        fixed (double* data = row)
        fixed (double* result = output)
        {
            NativeMethods.Check(NativeMethods.LGBM_BoosterPredictForMatSingleRowFast(_config, data, out _, result),
                "LGBM_BoosterPredictForMatSingleRowFast");
        }
    }

    public void Dispose()
    {
        if (_config != IntPtr.Zero)
        {
            NativeMethods.LGBM_FastConfigFree(_config);
            _config = IntPtr.Zero;
        }
    }
}
