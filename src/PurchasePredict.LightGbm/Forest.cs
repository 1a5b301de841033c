using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PurchasePredict.LightGbm;

/// <summary>
/// All trees of a model in flat arrays, decided exactly as LightGBM's tree.h (<c>NumericalDecision</c>,
/// <c>CategoricalDecision</c>) does. Forests that <see cref="SplitMaskForest"/> can lay out (trees up to 64
/// leaves, the common case) are evaluated by it; the others are walked node by node here. Both give the same
/// leaves. Immutable and thread-safe; allocates nothing.
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
    private readonly bool _anyLinear;
    private readonly LinearLeaves _linear;
    private readonly SplitMaskForest? _splitMasks;

    internal Forest(Node[] nodes, double[] leafValues, int[] roots, int[] leafCounts,
        bool[] treeHasCategorical, int[] categorySetStart, int[] categorySetWords, uint[] categoryBits,
        bool[] treeIsLinear, LinearLeaves linear, EvaluatorPath path)
    {
        _nodes = nodes;
        _leafValues = leafValues;
        _roots = roots;
        _treeHasCategorical = treeHasCategorical;
        _categorySetStart = categorySetStart;
        _categorySetWords = categorySetWords;
        _categoryBits = categoryBits;
        _treeIsLinear = treeIsLinear;
        _anyLinear = treeIsLinear.Contains(true);
        _linear = linear;
        _splitMasks = path == EvaluatorPath.Walk
            ? null
            : SplitMaskForestBuilder.TryBuild(nodes, roots, leafCounts, GoesRight, CategoryRange, wide: path == EvaluatorPath.Fastest);
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
        var trees = iterations * output.Length;
        if (_splitMasks is not null)
        {
            if (_anyLinear)
            {
                var sums = new LeafOutputSums(this, features, output);
                _splitMasks.FindLeaves(features, trees, ref sums);
            }
            else
            {
                var sums = new LeafValueSums(_leafValues, output);
                _splitMasks.FindLeaves(features, trees, ref sums);
            }

            return;
        }

        ref readonly var firstFeature = ref MemoryMarshal.GetReference(features);
        for (var tree = 0; tree < trees; tree++)
        {
            output[tree % output.Length] += LeafOutput(tree, FindLeaf(tree, in firstFeature), features);
        }
    }

    internal bool UsesSplitMasks => _splitMasks is not null;

    /// <summary>Whether categorical node <paramref name="node"/> sends <paramref name="value"/> right.</summary>
    private bool GoesRight(int node, double value) => CategoricalNext(in _nodes[node], value) == _nodes[node].Right;

    /// <summary>Codes a categorical node can send left: those below 32 x its bitset's word count.</summary>
    private int CategoryRange(int node) => 32 * _categorySetWords[(int)_nodes[node].Threshold];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>Adds each tree's leaf output to its class's score, in tree order (GBDT::PredictRaw's sums).</summary>
    private ref struct LeafOutputSums(Forest forest, ReadOnlySpan<double> features, Span<double> output) : ILeafSink
    {
        private readonly ReadOnlySpan<double> _features = features;
        private readonly Span<double> _output = output;
        private int _class;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int tree, int leaf)
        {
            _output[_class] += forest.LeafOutput(tree, leaf, _features);
            _class = _class + 1 == _output.Length ? 0 : _class + 1;
        }
    }

    /// <summary>As <see cref="LeafOutputSums"/> for forests without linear trees: a leaf's output is its value.</summary>
    private ref struct LeafValueSums(double[] leafValues, Span<double> output) : ILeafSink
    {
        private readonly Span<double> _output = output;
        private int _class;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int tree, int leaf)
        {
            _output[_class] += leafValues[leaf];
            _class = _class + 1 == _output.Length ? 0 : _class + 1;
        }
    }
}
