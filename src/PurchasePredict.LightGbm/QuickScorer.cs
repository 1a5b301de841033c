using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PurchasePredict.LightGbm;

/// <summary>
/// QuickScorer (Lucchese et al., SIGIR 2015): finds every tree's exit leaf without walking the trees, so no
/// unpredictable branch is taken per node. Leaves are numbered left to right; each tree keeps a 64-bit set of
/// still-possible leaves, starting full. Every node that sends the row right removes the leaves of its left
/// subtree; the exit leaf is then the lowest leaf left.
/// <para>
/// Numerical nodes on one feature are sorted by threshold: the ones that send a value right (value &gt;
/// threshold) are a prefix, found by one scan. NaN and "zero" (within ±kZeroThreshold) go a fixed way per node
/// (<see cref="NodeFlags"/>), so each feature also lists the nodes that send NaN right and those that send zero
/// right. A categorical feature has, for each code and for "not a code" (NaN, negative, beyond every bitset),
/// one combined mask per tree that uses it.
/// </para>
/// Used for models whose trees all have at most 64 leaves and whose categorical tables stay small.
/// </summary>
internal sealed class QuickScorer
{
    private const int MaxLeaves = 64;

    /// <summary>Above this many (tree, mask) entries in the categorical tables, the trees are walked instead.</summary>
    private const int MaxCategoryEntries = 1 << 20;

    private readonly MaskLists _sorted;
    private readonly MaskLists _nanRight;
    private readonly MaskLists _zeroRight;
    private readonly int[] _numericalFeatures;

    // Categorical feature i: slots [_categorySlot[i], _categorySlot[i] + _categoryRange[i]] of _categoryLists,
    // one per code and a last one for "not a code".
    private readonly int[] _categoricalFeatures;
    private readonly int[] _categorySlot;
    private readonly int[] _categoryRange;
    private readonly MaskLists _categoryLists;

    /// <summary>Per tree, the global leaf indices in left-to-right order, from <see cref="_leafStart"/>.</summary>
    private readonly int[] _leafStart;
    private readonly int[] _leavesInOrder;

    private QuickScorer(Builder builder, CategoryTables tables)
    {
        _sorted = builder.Sorted.Build(sortWithSentinel: true);
        _nanRight = builder.NanRight.Build(sortWithSentinel: false);
        _zeroRight = builder.ZeroRight.Build(sortWithSentinel: false);
        _numericalFeatures = [.. builder.NumericalFeatures.Order()];
        _categoricalFeatures = tables.Features;
        _categorySlot = tables.Slot;
        _categoryRange = tables.Range;
        _categoryLists = tables.Lists;
        _leafStart = [.. builder.LeafStart];
        _leavesInOrder = [.. builder.LeavesInOrder];
    }

    /// <summary>A scorer for the forest, or null when a tree has more than 64 leaves or categories need too much memory.</summary>
    /// <param name="goesRight">Whether a categorical node sends a value right (the forest's own rule).</param>
    public static QuickScorer? TryCreate(Node[] nodes, int[] roots, int[] leafCounts, int featureCount,
        Func<int, double, bool> goesRight, Func<int, int> categoryRange)
    {
        if (leafCounts.Any(count => count > MaxLeaves))
        {
            return null;
        }

        var builder = new Builder(featureCount);
        for (var tree = 0; tree < roots.Length; tree++)
        {
            builder.LeafStart.Add(builder.LeavesInOrder.Count);
            builder.Visit(nodes, roots[tree], tree, builder.LeavesInOrder.Count);
        }

        var tables = CategoryTables.TryBuild(builder.CategoricalNodes, nodes, goesRight, categoryRange);
        return tables is null ? null : new QuickScorer(builder, tables);
    }

    /// <summary>Writes each tree's global exit-leaf index into <paramref name="leaves"/> (one per tree).</summary>
    /// <param name="remaining">Scratch, one per tree.</param>
    public void FindLeaves(ReadOnlySpan<double> row, Span<ulong> remaining, Span<int> leaves)
    {
        remaining.Fill(ulong.MaxValue);
        foreach (var feature in _numericalFeatures)
        {
            var value = row[feature];
            if (double.IsNaN(value))
            {
                _nanRight.Apply(feature, remaining);
            }
            else if (value >= -Forest.ZeroThreshold && value <= Forest.ZeroThreshold)
            {
                _zeroRight.Apply(feature, remaining);
            }
            else
            {
                _sorted.ApplyBelow(feature, value, remaining);
            }
        }

        for (var i = 0; i < _categoricalFeatures.Length; i++)
        {
            // As Forest.CategoricalNext: NaN, negative and too large values are "not a code".
            var value = row[_categoricalFeatures[i]];
            var code = double.IsNaN(value) ? -1 : (int)value;
            var slot = code >= 0 && code < _categoryRange[i] ? code : _categoryRange[i];
            _categoryLists.Apply(_categorySlot[i] + slot, remaining);
        }

        for (var tree = 0; tree < leaves.Length; tree++)
        {
            leaves[tree] = _leavesInOrder[_leafStart[tree] + BitOperations.TrailingZeroCount(remaining[tree])];
        }
    }

    /// <summary>Groups of (tree, mask) pairs, each group applied as a whole or, when sorted, up to a threshold.</summary>
    private sealed class MaskLists(int[] start, double[] thresholds, int[] trees, ulong[] masks)
    {
        public void Apply(int group, Span<ulong> remaining)
        {
            for (var i = start[group]; i < start[group + 1]; i++)
            {
                remaining[trees[i]] &= masks[i];
            }
        }

        /// <summary>Applies the group's pairs whose threshold is below <paramref name="value"/> (not NaN).</summary>
        public void ApplyBelow(int group, double value, Span<ulong> remaining)
        {
            // Each sorted group ends with a +inf sentinel that stops the scan, so there is no end check; the
            // indices come from the builder, so bounds checks are skipped too.
            ref var threshold = ref MemoryMarshal.GetArrayDataReference(thresholds);
            ref var tree = ref MemoryMarshal.GetArrayDataReference(trees);
            ref var mask = ref MemoryMarshal.GetArrayDataReference(masks);
            ref var bits = ref MemoryMarshal.GetReference(remaining);
            for (var i = start[group]; Unsafe.Add(ref threshold, i) < value; i++)
            {
                Unsafe.Add(ref bits, Unsafe.Add(ref tree, i)) &= Unsafe.Add(ref mask, i);
            }
        }

        public sealed class Builder(int groupCount)
        {
            private readonly List<(double Threshold, int Tree, ulong Mask)>[] _groups =
                [.. Enumerable.Range(0, groupCount).Select(_ => new List<(double, int, ulong)>())];

            public void Add(int group, double threshold, int tree, ulong mask) => _groups[group].Add((threshold, tree, mask));

            public MaskLists Build(bool sortWithSentinel)
            {
                var start = new int[_groups.Length + 1];
                var entries = new List<(double Threshold, int Tree, ulong Mask)>();
                for (var g = 0; g < _groups.Length; g++)
                {
                    start[g] = entries.Count;
                    entries.AddRange(sortWithSentinel ? _groups[g].OrderBy(e => e.Threshold) : _groups[g]);
                    if (sortWithSentinel)
                    {
                        entries.Add((double.PositiveInfinity, 0, ulong.MaxValue));
                    }
                }

                start[^1] = entries.Count;
                return new MaskLists(start, [.. entries.Select(e => e.Threshold)], [.. entries.Select(e => e.Tree)],
                    [.. entries.Select(e => e.Mask)]);
            }
        }
    }

    /// <summary>Numbers leaves left to right and files every node with the mask of its left subtree's leaves.</summary>
    private sealed class Builder(int featureCount)
    {
        public MaskLists.Builder Sorted { get; } = new(featureCount);

        public MaskLists.Builder NanRight { get; } = new(featureCount);

        public MaskLists.Builder ZeroRight { get; } = new(featureCount);

        public HashSet<int> NumericalFeatures { get; } = [];

        public List<(int Node, int Tree, ulong Mask)> CategoricalNodes { get; } = [];

        public List<int> LeafStart { get; } = [];

        public List<int> LeavesInOrder { get; } = [];

        /// <summary>In-order walk; recursion depth is below 64 as trees have at most 64 leaves.</summary>
        public void Visit(Node[] nodes, int node, int tree, int firstLeaf)
        {
            if (node < 0)
            {
                LeavesInOrder.Add(~node);
                return;
            }

            var n = nodes[node];
            var leftFrom = LeavesInOrder.Count - firstLeaf;
            Visit(nodes, n.Left, tree, firstLeaf);
            var leftTo = LeavesInOrder.Count - firstLeaf;
            Visit(nodes, n.Right, tree, firstLeaf);

            // The left subtree holds leaves [leftFrom, leftTo): fewer than 64, as the right one holds one at least.
            var mask = ~(((1UL << (leftTo - leftFrom)) - 1) << leftFrom);
            if ((n.Flags & NodeFlags.Categorical) != 0)
            {
                CategoricalNodes.Add((node, tree, mask));
                return;
            }

            NumericalFeatures.Add(n.Feature);
            Sorted.Add(n.Feature, n.Threshold, tree, mask);
            if ((n.Flags & NodeFlags.NanGoesLeft) == 0)
            {
                NanRight.Add(n.Feature, n.Threshold, tree, mask);
            }

            if ((n.Flags & NodeFlags.ZeroGoesLeft) == 0)
            {
                ZeroRight.Add(n.Feature, n.Threshold, tree, mask);
            }
        }
    }

    /// <summary>Per categorical feature and code, the combined mask of each tree's nodes that send the code right.</summary>
    private sealed record CategoryTables(int[] Features, int[] Slot, int[] Range, MaskLists Lists)
    {
        public static CategoryTables? TryBuild(List<(int Node, int Tree, ulong Mask)> categoricalNodes, Node[] nodes,
            Func<int, double, bool> goesRight, Func<int, int> categoryRange)
        {
            var byFeature = categoricalNodes.GroupBy(c => nodes[c.Node].Feature).OrderBy(g => g.Key).ToArray();
            var ranges = byFeature.Select(g => g.Max(c => categoryRange(c.Node))).ToArray();
            long entries = byFeature.Select((g, i) => (long)(ranges[i] + 1) * g.Select(c => c.Tree).Distinct().Count()).Sum();
            if (entries > MaxCategoryEntries)
            {
                return null;
            }

            var slots = new int[byFeature.Length];
            var lists = new MaskLists.Builder(ranges.Sum() + byFeature.Length);
            var slot = 0;
            for (var i = 0; i < byFeature.Length; i++)
            {
                slots[i] = slot;
                for (var code = 0; code <= ranges[i]; code++, slot++)
                {
                    // The last slot stands for every value that is not a code: -1 goes right everywhere.
                    var value = code < ranges[i] ? code : -1.0;
                    var combined = new SortedDictionary<int, ulong>();
                    foreach (var (node, tree, mask) in byFeature[i].Where(c => goesRight(c.Node, value)))
                    {
                        combined[tree] = combined.TryGetValue(tree, out var m) ? m & mask : mask;
                    }

                    foreach (var (tree, mask) in combined)
                    {
                        lists.Add(slot, 0, tree, mask);
                    }
                }
            }

            return new CategoryTables([.. byFeature.Select(g => g.Key)], slots, ranges, lists.Build(sortWithSentinel: false));
        }
    }
}
