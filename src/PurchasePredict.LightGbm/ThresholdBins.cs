using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PurchasePredict.LightGbm;

/// <summary>
/// The distinct thresholds of one numerical feature, ascending. A value's bin is the number of thresholds below
/// it, so "value &lt;= thresholds[k]" is exactly "bin &lt;= k": one search per feature and row replaces a double
/// comparison per node (LightGBM's thresholds are its own bin boundaries, so there are at most max_bin of them).
/// </summary>
internal sealed class ThresholdBins
{
    private readonly double[] _thresholds;

    public ThresholdBins(int feature, IEnumerable<double> thresholds)
    {
        Feature = feature;
        _thresholds = [.. thresholds.Distinct().Order()];
    }

    public int Feature { get; }

    public int Count => _thresholds.Length;

    /// <summary>The index of <paramref name="threshold"/>, one of this feature's thresholds.</summary>
    public int IndexOf(double threshold) => Array.BinarySearch(_thresholds, threshold);

    /// <summary>How many thresholds are below <paramref name="value"/> (not NaN), without a data-dependent branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bin(double value)
    {
        ref var first = ref MemoryMarshal.GetArrayDataReference(_thresholds);
        int low = 0, count = _thresholds.Length;
        while (count > 1)
        {
            var half = count >> 1;
            low += half & -(Unsafe.Add(ref first, low + half) < value ? 1 : 0);
            count -= half;
        }

        return count == 1 && Unsafe.Add(ref first, low) < value ? low + 1 : low;
    }
}
