namespace PurchasePredict.LightGbm;

/// <summary>
/// For one categorical feature, the mask bits of its nodes in every tree, per code: a categorical split does not
/// compare, so <see cref="SplitMaskForest"/> takes its bits from here. Slot <c>code</c> holds the nodes that send
/// the code right; the last slot stands for every value that is not a code (NaN, negative, beyond every
/// bitset), which tree.h sends right everywhere.
/// </summary>
/// <param name="Keep">Per tree, the bits of the nodes that do not split on this feature.</param>
/// <param name="Right">Per slot then tree (slot-major, so one row reads a contiguous run).</param>
internal sealed record CategoryMasks(int Feature, int Range, ulong[] Keep, ulong[] Right)
{
    /// <summary>Where the right masks of <paramref name="value"/> for trees <paramref name="start"/>.. begin in <see cref="Right"/>.</summary>
    public int RightStart(double value, int start, int treeCount)
    {
        // As Forest.CategoricalNext: NaN and negatives are not codes; the value is truncated to int.
        var code = double.IsNaN(value) ? -1 : (int)value;
        var slot = (uint)code < (uint)Range ? code : Range;
        return (slot * treeCount) + start;
    }
}
