using System.Runtime.InteropServices;

namespace PurchasePredict.LightGbm;

/// <summary>
/// Decision-type bits of LightGBM's tree.h, decoded once at parse time into the directions the walk needs.
/// LightGBM's dense-row reader (c_api.cpp) turns values within ±kZeroThreshold into 0 before the trees see
/// them; tree.h then turns NaN into 0 unless the missing type is NaN. So NaN and "zero" each go one fixed
/// way per node, precomputed here.
/// </summary>
[Flags]
internal enum NodeFlags : byte
{
    None = 0,

    /// <summary>Categorical split: <see cref="Node.Threshold"/> is an index into the forest's category sets.</summary>
    Categorical = 1,

    /// <summary>Where NaN goes: missing type NaN or Zero -> default_left; None -> as 0 (0 &lt;= threshold).</summary>
    NanGoesLeft = 2,

    /// <summary>Values within ±kZeroThreshold must take <see cref="ZeroGoesLeft"/>: set for missing type Zero, and
    /// for thresholds inside [-kZeroThreshold, kZeroThreshold), where comparing the value itself would differ.</summary>
    CheckZero = 4,

    /// <summary>Where "zero" goes: missing type Zero -> default_left; otherwise 0 &lt;= threshold.</summary>
    ZeroGoesLeft = 8,
}

/// <summary>
/// One internal node of a tree. Children are indices into the forest's node array, or <c>~leaf</c>
/// (negative) for an index into its leaf-value array, so the walk is a plain <c>while (node &gt;= 0)</c> loop.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct Node(double threshold, int feature, int left, int right, NodeFlags flags)
{
    public readonly double Threshold = threshold;
    public readonly int Feature = feature;
    public readonly int Left = left;
    public readonly int Right = right;
    public readonly NodeFlags Flags = flags;
}
