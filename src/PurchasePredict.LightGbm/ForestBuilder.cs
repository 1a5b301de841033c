namespace PurchasePredict.LightGbm;

/// <summary>
/// Turns <c>Tree=N</c> blocks into one <see cref="Forest"/>: node indices become global, leaves become
/// <c>~globalLeaf</c>, categorical thresholds become global category-set indices. Checks every index so the
/// walk can never leave the arrays or loop.
/// </summary>
internal sealed class ForestBuilder(int featureCount)
{
    private readonly List<Node> _nodes = [];
    private readonly List<double> _leafValues = [];
    private readonly List<int> _roots = [];
    private readonly List<int> _leafCounts = [];
    private readonly List<bool> _treeHasCategorical = [];
    private readonly List<bool> _treeIsLinear = [];
    private readonly LinearLeaves _linear = new();
    private readonly List<int> _categorySetStart = [];
    private readonly List<int> _categorySetWords = [];
    private readonly List<uint> _categoryBits = [];

    public void Add(FieldBlock tree)
    {
        var leafCountField = tree.Require("num_leaves");
        var leafCount = FieldValues.Int(tree, leafCountField);
        if (leafCount < 1)
        {
            throw tree.Error(leafCountField, $"should be at least 1, found {leafCount}");
        }

        _leafCounts.Add(leafCount);
        var leafBase = _leafValues.Count;
        _leafValues.AddRange(FieldValues.Doubles(tree, tree.Require("leaf_value"), leafCount));
        _treeIsLinear.Add(_linear.Add(tree, leafCount, featureCount));
        if (leafCount == 1)
        {
            _roots.Add(~leafBase);
            _treeHasCategorical.Add(false);
            return;
        }

        AddSplits(tree, leafCount, leafBase);
    }

    public Forest Build(EvaluatorPath path)
    {
        _linear.Seal();
        return new Forest([.. _nodes], [.. _leafValues], [.. _roots], [.. _leafCounts],
            [.. _treeHasCategorical], [.. _categorySetStart], [.. _categorySetWords], [.. _categoryBits],
            [.. _treeIsLinear], _linear, path);
    }

    private void AddSplits(FieldBlock tree, int leafCount, int leafBase)
    {
        var splitCount = leafCount - 1;
        var features = FieldValues.Ints(tree, tree.Require("split_feature"), splitCount);
        var thresholds = FieldValues.Doubles(tree, tree.Require("threshold"), splitCount);
        var decisionTypes = FieldValues.Ints(tree, tree.Require("decision_type"), splitCount);
        var lefts = FieldValues.Ints(tree, tree.Require("left_child"), splitCount);
        var rights = FieldValues.Ints(tree, tree.Require("right_child"), splitCount);
        var categorySetBase = AddCategorySets(tree);
        var categorySetCount = _categorySetStart.Count - categorySetBase;

        CheckStructure(tree, lefts, rights, leafCount);
        var nodeBase = _nodes.Count;
        var hasCategorical = false;
        for (var i = 0; i < splitCount; i++)
        {
            if (features[i] < 0 || features[i] >= featureCount)
            {
                throw tree.Error(tree.Require("split_feature"),
                    $"node {i} splits on feature {features[i]}, but the model has {featureCount} features");
            }

            var flags = DecodeDecisionType(tree, i, decisionTypes[i], thresholds[i]);
            var threshold = thresholds[i];
            if ((flags & NodeFlags.Categorical) != 0)
            {
                hasCategorical = true;
                threshold = CategorySetIndex(tree, i, threshold, categorySetCount) + categorySetBase;
            }

            _nodes.Add(new Node(threshold, features[i], Globalize(lefts[i], nodeBase, leafBase),
                Globalize(rights[i], nodeBase, leafBase), flags));
        }

        _roots.Add(nodeBase);
        _treeHasCategorical.Add(hasCategorical);
    }

    private static int Globalize(int child, int nodeBase, int leafBase) =>
        child >= 0 ? nodeBase + child : ~(leafBase + ~child);

    private static NodeFlags DecodeDecisionType(FieldBlock tree, int node, int decisionType, double threshold)
    {
        // tree.h: bit 0 categorical, bit 1 default_left, bits 2-3 missing type (0 None, 1 Zero, 2 NaN).
        var field = tree.Require("decision_type");
        if (decisionType is < 0 or > 15)
        {
            throw tree.Error(field, $"node {node} has decision type {decisionType}; LightGBM uses 0 to 15");
        }

        var missingType = (decisionType >> 2) & 3;
        if (missingType == 3)
        {
            throw tree.Error(field, $"node {node} has missing type 3 (decision type {decisionType}); LightGBM uses 0 None, 1 Zero, 2 NaN");
        }

        var defaultLeft = (decisionType & 2) != 0;
        if ((decisionType & 1) != 0)
        {
            return NodeFlags.Categorical;
        }

        // Missing types: 0 None, 1 Zero, 2 NaN.
        var zeroGoesLeft = missingType == 1 ? defaultLeft : 0.0 <= threshold;
        var nanGoesLeft = missingType == 0 ? 0.0 <= threshold : defaultLeft;
        var checkZero = missingType == 1 || (threshold >= -Forest.ZeroThreshold && threshold < Forest.ZeroThreshold);
        return (nanGoesLeft ? NodeFlags.NanGoesLeft : NodeFlags.None)
            | (checkZero ? NodeFlags.CheckZero : NodeFlags.None)
            | (zeroGoesLeft ? NodeFlags.ZeroGoesLeft : NodeFlags.None);
    }

    private static int CategorySetIndex(FieldBlock tree, int node, double threshold, int categorySetCount)
    {
        if (threshold < 0 || threshold >= categorySetCount || threshold != Math.Floor(threshold))
        {
            throw tree.Error(tree.Require("threshold"),
                $"node {node} is categorical, so its threshold must index one of the tree's {categorySetCount} category sets; found {threshold}");
        }

        return (int)threshold;
    }

    /// <summary>Reads num_cat, cat_boundaries and cat_threshold; returns the global index of the tree's first set.</summary>
    private int AddCategorySets(FieldBlock tree)
    {
        var setBase = _categorySetStart.Count;
        var countField = tree.Find("num_cat");
        var count = countField is { } f ? FieldValues.Int(tree, f) : 0;
        if (count < 0)
        {
            throw tree.Error(countField!.Value, $"should not be negative, found {count}");
        }

        if (count == 0)
        {
            return setBase;
        }

        var boundariesField = tree.Require("cat_boundaries");
        var boundaries = FieldValues.Ints(tree, boundariesField, count + 1);
        if (boundaries[0] != 0)
        {
            throw tree.Error(boundariesField, $"should start at 0, found {boundaries[0]}");
        }

        for (var i = 0; i < count; i++)
        {
            if (boundaries[i + 1] < boundaries[i])
            {
                throw tree.Error(boundariesField, $"should not decrease, but value {i + 2} ({boundaries[i + 1]}) is below value {i + 1} ({boundaries[i]})");
            }
        }

        var bits = FieldValues.UInts(tree, tree.Require("cat_threshold"), boundaries[count]);
        var wordBase = _categoryBits.Count;
        _categoryBits.AddRange(bits);
        for (var i = 0; i < count; i++)
        {
            _categorySetStart.Add(wordBase + boundaries[i]);
            _categorySetWords.Add(boundaries[i + 1] - boundaries[i]);
        }

        return setBase;
    }

    /// <summary>
    /// LightGBM numbers a split node after its parent, so children that are nodes must have larger indices:
    /// that rules out cycles. Every node but the root and every leaf must be reached exactly once.
    /// </summary>
    private static void CheckStructure(FieldBlock tree, int[] lefts, int[] rights, int leafCount)
    {
        var splitCount = lefts.Length;
        var nodeSeen = new bool[splitCount];
        var leafSeen = new bool[leafCount];
        for (var node = 0; node < splitCount; node++)
        {
            foreach (var (child, name) in new[] { (lefts[node], "left_child"), (rights[node], "right_child") })
            {
                var field = tree.Require(name);
                if (child >= 0)
                {
                    if (child <= node || child >= splitCount)
                    {
                        throw tree.Error(field, $"node {node} points to node {child}; a child node must be numbered after its parent and below {splitCount}");
                    }

                    if (nodeSeen[child])
                    {
                        throw tree.Error(field, $"node {child} has two parents");
                    }

                    nodeSeen[child] = true;
                }
                else
                {
                    var leaf = ~child;
                    if (leaf >= leafCount)
                    {
                        throw tree.Error(field, $"node {node} points to leaf {leaf} (written {child}), but the tree has {leafCount} leaves");
                    }

                    if (leafSeen[leaf])
                    {
                        throw tree.Error(field, $"leaf {leaf} has two parents");
                    }

                    leafSeen[leaf] = true;
                }
            }
        }

        var orphanLeaf = Array.IndexOf(leafSeen, false);
        if (orphanLeaf >= 0)
        {
            throw tree.Error(tree.Line, $"leaf {orphanLeaf} is not reachable from the root");
        }
    }
}
