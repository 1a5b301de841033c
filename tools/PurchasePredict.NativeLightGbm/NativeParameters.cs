namespace PurchasePredict.NativeLightGbm;

/// <summary>Defaults appended to every parameter string; LightGBM keeps the first value of a repeated key,
/// so the caller's own settings win.</summary>
internal static class NativeParameters
{
    public static string WithDefaults(string parameters) => $"{parameters} verbose=-1 num_threads=1".Trim();
}
