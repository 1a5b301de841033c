namespace PurchasePredict.LightGbm;

/// <summary>
/// Lays a forest out for <see cref="SplitMaskForest"/>, or says it cannot: a tree over 64 leaves (a mask has 64
/// bits), a feature with more than 255 distinct thresholds (bins are bytes), a NaN threshold (it has no bin),
/// categorical tables over a million entries, or a machine without a byte shuffle. Such forests are walked.
/// </summary>
internal static class SplitMaskForestBuilder
{
    private const int MaxThresholdsPerFeature = 255;
    private const long MaxCategoryEntries = 1 << 20;

    /// <summary>Padding and non-numerical nodes: biased bin 127 is never exceeded, so they go left unless overridden.</summary>
    private const sbyte NeverRight = sbyte.MaxValue;

    /// <summary>A shuffle index with the high bit set yields 0: the node's feature is not in this table.</summary>
    private const byte NotInTable = 0x80;

    /// <param name="goesRight">The forest's own rule for a categorical node and a value.</param>
    /// <param name="categoryRange">Codes a categorical node can send left: those below it.</param>
    /// <param name="wide">Use 256-bit shuffles where the machine has AVX2.</param>
    public static SplitMaskForest? TryBuild(Node[] nodes, int[] roots, int[] leafCounts,
        Func<int, double, bool> goesRight, Func<int, int> categoryRange, bool wide)
    {
        if (!SplitMaskForest.IsSupported || leafCounts.Any(count => count > SplitMaskForest.MaxLeaves))
        {
            return null;
        }

        var numerical = nodes.Where(n => (n.Flags & NodeFlags.Categorical) == 0).ToArray();
        if (numerical.Any(n => double.IsNaN(n.Threshold)))
        {
            return null;
        }

        var slots = numerical.GroupBy(n => n.Feature).OrderBy(g => g.Key)
            .Select(g => new ThresholdBins(g.Key, g.Select(n => n.Threshold))).ToArray();
        if (slots.Any(s => s.Count > MaxThresholdsPerFeature))
        {
            return null;
        }

        var categorical = CategoricalNodesByFeature(nodes);
        var ranges = categorical.Select(g => g.Max(node => categoryRange(node))).ToArray();
        if (ranges.Select(r => (long)(r + 1) * roots.Length).Sum() > MaxCategoryEntries)
        {
            return null;
        }

        return new Layout(nodes, roots, leafCounts, slots).Build(categorical, ranges, goesRight, wide);
    }

    private static IGrouping<int, int>[] CategoricalNodesByFeature(Node[] nodes) =>
        [.. Enumerable.Range(0, nodes.Length).Where(i => (nodes[i].Flags & NodeFlags.Categorical) != 0)
            .GroupBy(i => nodes[i].Feature).OrderBy(g => g.Key)];

    /// <summary>The tables of one forest, filled tree by tree.</summary>
    private sealed class Layout
    {
        private readonly Node[] _nodes;
        private readonly int[] _roots;
        private readonly int[] _leafCounts;
        private readonly ThresholdBins[] _slots;
        private readonly Dictionary<int, int> _slotOfFeature;
        private readonly int _tables;
        private readonly int[] _leafStart;
        private readonly int[] _treeOfNode;
        private readonly int[][] _splits;
        private readonly int[] _localOfNode;
        private readonly int _trees;

        public Layout(Node[] nodes, int[] roots, int[] leafCounts, ThresholdBins[] slots)
        {
            _nodes = nodes;
            _roots = roots;
            _leafCounts = leafCounts;
            _slots = slots;
            _slotOfFeature = slots.Select((s, i) => (s.Feature, i)).ToDictionary(p => p.Feature, p => p.i);
            _tables = Math.Max(1, (slots.Length + 15) / 16);
            _trees = roots.Length;
            _leafStart = new int[_trees];
            for (var t = 1; t < _trees; t++)
            {
                _leafStart[t] = _leafStart[t - 1] + leafCounts[t - 1];
            }

            _splits = [.. Enumerable.Range(0, _trees).Select(BreadthFirst)];
            _treeOfNode = new int[nodes.Length];
            _localOfNode = new int[nodes.Length];
            for (var t = 0; t < _trees; t++)
            {
                foreach (var (local, node) in Splits(t))
                {
                    _treeOfNode[node] = t;
                    _localOfNode[node] = local;
                }
            }
        }

        public SplitMaskForest Build(IGrouping<int, int>[] categorical, int[] ranges, Func<int, double, bool> goesRight, bool wide)
        {
            var shuffleIndex = new byte[_trees * _tables * 64];
            Array.Fill(shuffleIndex, NotInTable);
            var thresholdBins = new sbyte[_trees * 64];
            Array.Fill(thresholdBins, NeverRight);
            var numericKeep = new ulong[_slots.Length * _trees];
            Array.Fill(numericKeep, ulong.MaxValue);
            var nanRight = new ulong[_slots.Length * _trees];
            var zeroRight = new ulong[_slots.Length * _trees];
            var children = new sbyte[_trees * SplitMaskForest.ChildStride];
            var top = new sbyte[_trees * SplitMaskForest.TopEntries];
            for (var tree = 0; tree < _trees; tree++)
            {
                var table = children.AsSpan(tree * SplitMaskForest.ChildStride, SplitMaskForest.ChildStride);
                FillChildren(tree, table);
                FillTop(tree, table, top.AsSpan(tree * SplitMaskForest.TopEntries, SplitMaskForest.TopEntries));
                foreach (var (local, node) in Splits(tree))
                {
                    var n = _nodes[node];
                    if ((n.Flags & NodeFlags.Categorical) != 0)
                    {
                        continue;
                    }

                    var slot = _slotOfFeature[n.Feature];
                    var bit = 1UL << local;
                    shuffleIndex[(((tree * _tables) + (slot / 16)) * 64) + local] = (byte)(slot % 16);
                    thresholdBins[(tree * 64) + local] = (sbyte)(_slots[slot].IndexOf(n.Threshold) ^ 0x80);
                    var at = (slot * _trees) + tree;
                    numericKeep[at] &= ~bit;
                    nanRight[at] |= (n.Flags & NodeFlags.NanGoesLeft) == 0 ? bit : 0;
                    zeroRight[at] |= (n.Flags & NodeFlags.ZeroGoesLeft) == 0 ? bit : 0;
                }
            }

            var categories = categorical.Select((g, i) => CategoryMasksOf(g.Key, [.. g], ranges[i], goesRight)).ToArray();
            return new SplitMaskForest(_slots, _tables, shuffleIndex, thresholdBins, numericKeep, nanRight, zeroRight,
                categories, children, top, _leafStart, wide);
        }

        /// <summary>The tree's splits as (local index = mask bit, global node index); none for a one-leaf tree.</summary>
        private IEnumerable<(int Local, int Node)> Splits(int tree) => _splits[tree].Select((node, local) => (local, node));

        /// <summary>
        /// The tree's splits level by level, so the splits of the top three levels are bits 0 to 6 of the mask and
        /// <see cref="FillTop"/> can skip those levels with one lookup.
        /// </summary>
        private int[] BreadthFirst(int tree)
        {
            var order = new List<int>();
            if (_roots[tree] >= 0)
            {
                order.Add(_roots[tree]);
            }

            for (var i = 0; i < order.Count; i++)
            {
                order.AddRange(new[] { _nodes[order[i]].Left, _nodes[order[i]].Right }.Where(child => child >= 0));
            }

            return [.. order];
        }

        /// <summary>
        /// For each value of the mask's bits 0 to 6, where a walk from the root is after three levels (a split, or
        /// <c>~leaf</c> if it got there sooner). Breadth-first numbering puts every split it reads among those bits.
        /// </summary>
        private void FillTop(int tree, ReadOnlySpan<sbyte> children, Span<sbyte> top)
        {
            for (var bits = 0; bits < SplitMaskForest.TopEntries; bits++)
            {
                var node = 0;
                for (var level = 0; level < 3 && node >= 0; level++)
                {
                    node = children[128 + (2 * node) + ((bits >> node) & 1)];
                }

                top[bits] = (sbyte)node;
            }
        }

        /// <summary>
        /// Split n's children at 128 + 2n (left) and 128 + 2n + 1 (right), as local split indices or <c>~leaf</c>;
        /// leaf l (n = ~l, so 2n &gt;= -128) points to itself. A one-leaf tree gets a split whose children are both leaf 0.
        /// </summary>
        private void FillChildren(int tree, Span<sbyte> table)
        {
            for (var leaf = 0; leaf < _leafCounts[tree]; leaf++)
            {
                table[128 + (2 * ~leaf)] = table[128 + (2 * ~leaf) + 1] = (sbyte)~leaf;
            }

            if (_roots[tree] < 0)
            {
                table[128] = table[129] = ~0;
                return;
            }

            foreach (var (local, node) in Splits(tree))
            {
                table[128 + (2 * local)] = Local(tree, _nodes[node].Left);
                table[128 + (2 * local) + 1] = Local(tree, _nodes[node].Right);
            }
        }

        private sbyte Local(int tree, int child) =>
            (sbyte)(child >= 0 ? _localOfNode[child] : ~(~child - _leafStart[tree]));

        private CategoryMasks CategoryMasksOf(int feature, int[] featureNodes, int range, Func<int, double, bool> goesRight)
        {
            var keep = new ulong[_trees];
            Array.Fill(keep, ulong.MaxValue);
            var right = new ulong[(range + 1) * _trees];
            foreach (var node in featureNodes)
            {
                var tree = _treeOfNode[node];
                var bit = 1UL << _localOfNode[node];
                keep[tree] &= ~bit;
                for (var code = 0; code <= range; code++)
                {
                    // The last slot stands for every value that is not a code: -1 goes right everywhere.
                    if (goesRight(node, code < range ? code : -1.0))
                    {
                        right[(code * _trees) + tree] |= bit;
                    }
                }
            }

            return new CategoryMasks(feature, range, keep, right);
        }
    }
}
