namespace PurchasePredict.LightGbm;

/// <summary>
/// The linear models of linear trees (<c>linear_tree=true</c>, <c>is_linear=1</c>): per leaf a constant plus
/// coefficients over some features, indexed by the forest's global leaf index. tree.h <c>Predict</c>: the leaf's
/// output is <c>leaf_const + sum(coeff * value)</c>, or the plain leaf value if any of those values is NaN.
/// </summary>
internal sealed class LinearLeaves
{
    private readonly List<double> _constants = [];
    private readonly List<int> _start = [];
    private readonly List<int> _count = [];
    private readonly List<int> _features = [];
    private readonly List<double> _coefficients = [];

    private double[] _constantArray = [];
    private int[] _startArray = [];
    private int[] _countArray = [];
    private int[] _featureArray = [];
    private double[] _coefficientArray = [];

    /// <summary>Reads a tree's linear fields, or fills placeholders for a plain tree; returns whether it is linear.</summary>
    public bool Add(FieldBlock tree, int leafCount, int featureCount)
    {
        var flag = tree.Find("is_linear");
        var isLinear = flag is { } f && FieldValues.Int(tree, f) != 0;
        if (!isLinear)
        {
            for (var leaf = 0; leaf < leafCount; leaf++)
            {
                _constants.Add(0);
                _start.Add(0);
                _count.Add(0);
            }

            return false;
        }

        var constants = FieldValues.Doubles(tree, tree.Require("leaf_const"), leafCount);
        var countsField = tree.Require("num_features");
        var counts = FieldValues.Ints(tree, countsField, leafCount);
        if (counts.Any(c => c < 0))
        {
            throw tree.Error(countsField, "should not hold negative counts");
        }

        var total = counts.Sum();
        var featuresField = tree.Require("leaf_features");
        var features = FieldValues.Ints(tree, featuresField, total);
        var coefficients = FieldValues.Doubles(tree, tree.Require("leaf_coeff"), total);
        var bad = Array.FindIndex(features, i => i < 0 || i >= featureCount);
        if (bad >= 0)
        {
            throw tree.Error(featuresField, $"value {bad + 1} is feature {features[bad]}, but the model has {featureCount} features");
        }

        var offset = _features.Count;
        for (var leaf = 0; leaf < leafCount; leaf++)
        {
            _constants.Add(constants[leaf]);
            _start.Add(offset);
            _count.Add(counts[leaf]);
            offset += counts[leaf];
        }

        _features.AddRange(features);
        _coefficients.AddRange(coefficients);
        return true;
    }

    /// <summary>Freezes the lists into arrays once all trees are read.</summary>
    public void Seal()
    {
        _constantArray = [.. _constants];
        _startArray = [.. _start];
        _countArray = [.. _count];
        _featureArray = [.. _features];
        _coefficientArray = [.. _coefficients];
    }

    /// <summary>The output of linear leaf <paramref name="leaf"/>, or <paramref name="leafValue"/> when a used feature is NaN.</summary>
    public double Output(int leaf, double leafValue, ReadOnlySpan<double> row)
    {
        var output = _constantArray[leaf];
        var end = _startArray[leaf] + _countArray[leaf];
        for (var i = _startArray[leaf]; i < end; i++)
        {
            var value = row[_featureArray[i]];
            if (double.IsNaN(value))
            {
                return leafValue;
            }

            output += _coefficientArray[i] * value;
        }

        return output;
    }
}
