using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PurchasePredict.LightGbm;

/// <summary>
/// All trees of a model in flat arrays, decided exactly as LightGBM's tree.h (<c>NumericalDecision</c>,
/// <c>CategoricalDecision</c>) does. Predicting most of the trees uses <see cref="QuickScorer"/> (about 3x
/// faster than walking for 300 trees of 60 leaves); a few trees, or trees over 64 leaves, are walked node by
/// node. Immutable and thread-safe; allocates nothing.
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
    private readonly bool[] _treeIsLinear;
    private readonly LinearLeaves _linear;
    private readonly QuickScorer? _quickScorer;

    /// <summary>QuickScorer keeps 12 bytes per tree on the stack; larger forests walk the trees.</summary>
    private const int MaxQuickScorerTrees = 2048;

    internal Forest(int featureCount, Node[] nodes, double[] leafValues, int[] roots, int[] leafCounts,
        bool[] treeHasCategorical, int[] categorySetStart, int[] categorySetWords, uint[] categoryBits,
        bool[] treeIsLinear, LinearLeaves linear)
    {
        _nodes = nodes;
        _leafValues = leafValues;
        _roots = roots;
        _treeHasCategorical = treeHasCategorical;
        _categorySetStart = categorySetStart;
        _categorySetWords = categorySetWords;
        _categoryBits = categoryBits;
        _treeIsLinear = treeIsLinear;
        _linear = linear;
        _quickScorer = roots.Length <= MaxQuickScorerTrees
            ? QuickScorer.TryCreate(nodes, roots, leafCounts, featureCount, GoesRight, CategoryRange)
            : null;
    }

    public int TreeCount => _roots.Length;

    /// <summary>Features used by at least one categorical split, ascending.</summary>
    public IEnumerable<int> CategoricalSplitFeatures() =>
        _nodes.Where(n => (n.Flags & NodeFlags.Categorical) != 0).Select(n => n.Feature).Distinct().Order();

    /// <summary>
    /// Adds the first <paramref name="iterations"/> iterations' trees to <paramref name="output"/> (one slot per
    /// class), in GBDT::PredictRaw's order so the sums match LightGBM bit for bit. A leaf of a linear tree
    /// contributes its linear model's output.
    /// </summary>
    /// <remarks>
    /// Indexing skips bounds checks: the parser proved every child, leaf and feature index in range, and the
    /// caller checked <paramref name="features"/> has the model's feature count.
    /// </remarks>
    public void AddTrees(ReadOnlySpan<double> features, Span<double> output, int iterations)
    {
        var classes = output.Length;
        var trees = iterations * classes;

        // QuickScorer costs the same for any number of trees; walking pays per tree, so it wins for few.
        if (_quickScorer is not null && trees * 2 >= TreeCount)
        {
            Span<ulong> remaining = stackalloc ulong[TreeCount];
            Span<int> leaves = stackalloc int[TreeCount];
            _quickScorer.FindLeaves(features, remaining, leaves);
            for (var tree = 0; tree < trees; tree++)
            {
                output[tree % classes] += LeafOutput(tree, leaves[tree], features);
            }

            return;
        }

        ref readonly var firstFeature = ref MemoryMarshal.GetReference(features);
        for (var tree = 0; tree < trees; tree++)
        {
            output[tree % classes] += LeafOutput(tree, FindLeaf(tree, in firstFeature), features);
        }
    }

    /// <summary>Whether categorical node <paramref name="node"/> sends <paramref name="value"/> right.</summary>
    private bool GoesRight(int node, double value) => CategoricalNext(in _nodes[node], value) == _nodes[node].Right;

    /// <summary>Codes a categorical node can send left: those below 32 x its bitset's word count.</summary>
    private int CategoryRange(int node) => 32 * _categorySetWords[(int)_nodes[node].Threshold];

    private double LeafOutput(int tree, int leaf, ReadOnlySpan<double> features) =>
        _treeIsLinear[tree] ? _linear.Output(leaf, _leafValues[leaf], features) : _leafValues[leaf];

    /// <summary>The global index of the leaf <paramref name="features"/> reach in <paramref name="tree"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindLeaf(int tree, ref readonly double features)
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

        return ~node;
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
