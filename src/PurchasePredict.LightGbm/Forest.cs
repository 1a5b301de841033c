using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PurchasePredict.LightGbm;

/// <summary>
/// All trees of a model in flat arrays, walked exactly as LightGBM's tree.h
/// (<c>NumericalDecision</c>, <c>CategoricalDecision</c>) does. Immutable and thread-safe; allocates nothing.
/// </summary>
internal sealed class Forest
{
    /// <summary>LightGBM's kZeroThreshold is the float 1e-35f, compared as a double.</summary>
    internal const double ZeroThreshold = (double)1e-35f;

    private readonly Node[] _nodes;
    private readonly double[] _leafValues;
    private readonly int[] _roots;
    private readonly bool[] _treeHasCategorical;
    private readonly int[] _categorySetStart;
    private readonly int[] _categorySetWords;
    private readonly uint[] _categoryBits;

    internal Forest(Node[] nodes, double[] leafValues, int[] roots, bool[] treeHasCategorical,
        int[] categorySetStart, int[] categorySetWords, uint[] categoryBits)
    {
        _nodes = nodes;
        _leafValues = leafValues;
        _roots = roots;
        _treeHasCategorical = treeHasCategorical;
        _categorySetStart = categorySetStart;
        _categorySetWords = categorySetWords;
        _categoryBits = categoryBits;
    }

    public int TreeCount => _roots.Length;

    public bool HasCategoricalSplits => Array.IndexOf(_treeHasCategorical, true) >= 0;

    /// <summary>Features used by at least one categorical split, ascending.</summary>
    public IEnumerable<int> CategoricalSplitFeatures() =>
        _nodes.Where(n => (n.Flags & NodeFlags.Categorical) != 0).Select(n => n.Feature).Distinct().Order();

    /// <summary>
    /// Adds the first <paramref name="iterations"/> iterations' trees to <paramref name="output"/> (one slot per
    /// class), in GBDT::PredictRaw's order so the sums match LightGBM bit for bit.
    /// </summary>
    /// <remarks>
    /// Indexing skips bounds checks: the parser proved every child, leaf and feature index in range, and the
    /// caller checked <paramref name="features"/> has the model's feature count.
    /// </remarks>
    public void AddTrees(ReadOnlySpan<double> features, Span<double> output, int iterations)
    {
        var classes = output.Length;
        ref readonly var firstFeature = ref MemoryMarshal.GetReference(features);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            for (var k = 0; k < classes; k++)
            {
                output[k] += PredictTree((iteration * classes) + k, in firstFeature);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double PredictTree(int tree, ref readonly double features)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        var node = _roots[tree];
        if (_treeHasCategorical[tree])
        {
            while (node >= 0)
            {
                ref readonly var n = ref Unsafe.Add(ref nodes, node);
                var value = Unsafe.Add(ref Unsafe.AsRef(in features), n.Feature);
                node = (n.Flags & NodeFlags.Categorical) != 0 ? CategoricalNext(in n, value) : NumericalNext(in n, value);
            }
        }
        else
        {
            while (node >= 0)
            {
                ref readonly var n = ref Unsafe.Add(ref nodes, node);
                node = NumericalNext(in n, Unsafe.Add(ref Unsafe.AsRef(in features), n.Feature));
            }
        }

        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_leafValues), ~node);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NumericalNext(in Node n, double value)
    {
        if (double.IsNaN(value))
        {
            return (n.Flags & NodeFlags.NanGoesLeft) != 0 ? n.Left : n.Right;
        }

        if ((n.Flags & NodeFlags.CheckZero) != 0 && value >= -ZeroThreshold && value <= ZeroThreshold)
        {
            return (n.Flags & NodeFlags.ZeroGoesLeft) != 0 ? n.Left : n.Right;
        }

        return value <= n.Threshold ? n.Left : n.Right;
    }

    private int CategoricalNext(in Node n, double value)
    {
        // tree.h: NaN goes right; the value is truncated to int and negatives go right. C++ on x64 turns
        // out-of-range values into INT_MIN (right); .NET saturates to int.MaxValue, beyond every bitset (right).
        if (double.IsNaN(value))
        {
            return n.Right;
        }

        var category = (int)value;
        if (category < 0)
        {
            return n.Right;
        }

        var set = (int)n.Threshold;
        var word = category >> 5;
        if (word >= _categorySetWords[set])
        {
            return n.Right;
        }

        return ((_categoryBits[_categorySetStart[set] + word] >> (category & 31)) & 1) != 0 ? n.Left : n.Right;
    }
}
