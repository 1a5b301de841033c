namespace PurchasePredict.LightGbm.Tests;

/// <summary>
/// A small model written by hand, so expected predictions can be worked out on paper and single fields can
/// be broken. Tree 0: node 0 "a &lt;= 0.5" (missing None, default left), left to node 1, a categorical split on
/// b with the bitset 5 = categories {0, 2} going left. Tree 1 is a single leaf.
/// </summary>
internal static class HandModel
{
    public const string Text = """
        tree
        version=v4
        num_class=1
        num_tree_per_iteration=1
        label_index=0
        max_feature_idx=2
        objective=binary sigmoid:1
        feature_names=a b c
        feature_infos=[0:1] 0:1:2 none
        tree_sizes=400 300

        Tree=0
        num_leaves=3
        num_cat=1
        split_feature=0 1
        split_gain=10 5
        threshold=0.5 0
        decision_type=2 1
        left_child=1 -1
        right_child=-2 -3
        leaf_value=0.25 -0.5 0.75
        leaf_weight=1 1 1
        leaf_count=10 10 10
        internal_value=0 0
        internal_weight=0 0
        internal_count=30 20
        cat_boundaries=0 1
        cat_threshold=5
        is_linear=0
        shrinkage=1

        Tree=1
        num_leaves=1
        num_cat=0
        split_feature=
        split_gain=
        threshold=
        decision_type=
        left_child=
        right_child=
        leaf_value=-0.125
        leaf_weight=0
        leaf_count=30
        internal_value=
        internal_weight=
        internal_count=
        is_linear=0
        shrinkage=1


        end of trees

        feature_importances:
        a=1
        b=1

        parameters:
        [boosting: gbdt]
        [objective: binary]
        [categorical_feature: 1]
        end of parameters

        pandas_categorical:[["x", "y", "z"]]

        """;

    /// <summary>The hand model with one line replaced (the whole line starting with <paramref name="linePrefix"/>).</summary>
    public static string With(string linePrefix, string replacement)
    {
        var lines = Text.Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith(linePrefix, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"the hand model has no line starting with '{linePrefix}'");
        lines[index] = replacement;
        return string.Join('\n', lines);
    }

    /// <summary>1-based line number of the first line starting with <paramref name="linePrefix"/>.</summary>
    public static int LineOf(string linePrefix) =>
        Array.FindIndex(Text.Split('\n'), l => l.StartsWith(linePrefix, StringComparison.Ordinal)) + 1;
}
