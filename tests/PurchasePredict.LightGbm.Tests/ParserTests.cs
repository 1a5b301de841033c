namespace PurchasePredict.LightGbm.Tests;

public sealed class ParserTests
{
    [Test]
    public void Parse_HandModel_ReadsHeader()
    {
        var model = LightGbmModel.Parse(HandModel.Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.FeatureNames, Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(model.FeatureCount, Is.EqualTo(3));
            Assert.That(model.ClassCount, Is.EqualTo(1));
            Assert.That(model.TreeCount, Is.EqualTo(2));
            Assert.That(model.IterationCount, Is.EqualTo(2));
            Assert.That(model.Kind, Is.EqualTo(ModelKind.Binary));
            Assert.That(model.Objective, Is.EqualTo("binary sigmoid:1"));
            Assert.That(model.Version, Is.EqualTo("v4"));
        }
    }

    // Tree 0: a <= 0.5 goes to the categorical split (b in {0, 2} -> 0.25, else 0.75), a > 0.5 -> -0.5.
    // Tree 1 always adds -0.125.
    [TestCase(0.2, 0.0, 0.125)]
    [TestCase(0.2, 2.0, 0.125)]
    [TestCase(0.2, 1.0, 0.625)]
    [TestCase(0.2, 2.9, 0.125)] // codes are truncated to int, as LightGBM's static_cast<int>
    [TestCase(0.2, 40.0, 0.625)] // beyond the bitset: right
    [TestCase(0.2, -1.0, 0.625)] // negative: right
    [TestCase(0.2, double.NaN, 0.625)] // NaN category: always right
    [TestCase(0.9, 0.0, -0.625)]
    [TestCase(double.NaN, 0.0, 0.125)] // missing type None: NaN is treated as 0, and 0 <= 0.5
    public void PredictRaw_HandModel_FollowsLightGbmRules(double a, double b, double expected)
    {
        var model = LightGbmModel.Parse(HandModel.Text);
        var output = new double[1];

        model.PredictRaw([a, b, 0.0], output);

        Assert.That(output[0], Is.EqualTo(expected));
    }

    [Test]
    public void Predict_HandModel_AppliesSigmoidAndIterationLimit()
    {
        var model = LightGbmModel.Parse(HandModel.Text);
        var output = new double[1];

        model.Predict([0.9, 0.0, 0.0], output, iterations: 1);

        Assert.That(output[0], Is.EqualTo(1 / (1 + Math.Exp(0.5))).Within(1e-15));
    }

    [Test]
    public void Parse_CrLfLineEndings_Accepted()
    {
        var model = LightGbmModel.Parse(HandModel.Text.Replace("\n", "\r\n"));

        Assert.That(model.TreeCount, Is.EqualTo(2));
    }

    [TestCase("num_class=", "num_class=abc", "'num_class' should be an integer, found 'abc'")]
    [TestCase("num_class=", "num_class=0", "'num_class' should be at least 1")]
    [TestCase("num_class=", "", "required field 'num_class' is missing")]
    [TestCase("max_feature_idx=", "", "required field 'max_feature_idx' is missing")]
    [TestCase("feature_names=", "feature_names=a b", "lists 2 names, but max_feature_idx says 3 features")]
    [TestCase("objective=", "objective=frobnicate", "objective 'frobnicate'")]
    [TestCase("objective=", "objective=binary", "no 'sigmoid:' option")]
    [TestCase("objective=", "objective=binary sigmoid:-1", "sigmoid factor must be a number above zero")]
    [TestCase("objective=", "objective=multiclass num_class:3", "'multiclass' does not fit num_class=1")]
    [TestCase("version=", "num_class=2", "'num_class' appears twice")]
    [TestCase("threshold=0.5", "threshold=0.5", "'threshold' should have 2 values, found 1")]
    [TestCase("threshold=0.5", "threshold=0.5 x", "'threshold' value 2 should be a number, found 'x'")]
    [TestCase("split_feature=0", "split_feature=0 7", "node 1 splits on feature 7, but the model has 3 features")]
    [TestCase("left_child=1", "left_child=0 -1", "node 0 points to node 0")]
    [TestCase("left_child=1", "left_child=1 -9", "node 1 points to leaf 8")]
    [TestCase("left_child=1", "left_child=1 -2", "leaf 1 has two parents")]
    [TestCase("decision_type=2", "decision_type=14 1", "missing type 3")]
    [TestCase("decision_type=2", "decision_type=2 99", "decision type 99")]
    [TestCase("threshold=0.5", "threshold=0.5 3", "must index one of the tree's 1 category sets; found 3")]
    [TestCase("cat_boundaries=", "cat_boundaries=0 2", "'cat_threshold' should have 2 values, found 1")]
    [TestCase("cat_threshold=", "cat_threshold=-5", "should be a unsigned 32-bit integer, found '-5'")]
    [TestCase("num_leaves=3", "num_leaves=0", "'num_leaves' should be at least 1")]
    [TestCase("num_leaves=3", "num_leaves=4", "'leaf_value' should have 4 values, found 3")]
    [TestCase("is_linear=0", "is_linear=1", "Tree=0 (line 12): required field 'leaf_const' is missing")]
    [TestCase("Tree=1", "Tree=5", "expected 'Tree=1'")]
    [TestCase("end of trees", "", "expected 'Tree=' or 'end of trees', found the end")]
    [TestCase("pandas_categorical:", "pandas_categorical:[[\"x\",", "pandas_categorical): not valid JSON")]
    [TestCase("pandas_categorical:", "pandas_categorical:{}", "expected null or a list of lists")]
    [TestCase("pandas_categorical:", "pandas_categorical:[[\"x\"], [\"y\"]]", "2 category lists, but the model has 1 categorical features (1)")]
    [TestCase("[categorical_feature:", "[categorical_feature: 9]", "categorical_feature '9' is not one of the model's 3 features")]
    public void Parse_BrokenField_FailsNamingIt(string linePrefix, string replacement, string expectedMessage)
    {
        var text = HandModel.With(linePrefix, replacement);
        if (linePrefix == "end of trees")
        {
            // Cut the file after the trees, as a truncated download would.
            text = text[..text.IndexOf("\nfeature_importances:", StringComparison.Ordinal)];
        }

        var error = Assert.Throws<ModelFormatException>(() => LightGbmModel.Parse(text));

        Assert.That(error!.Message, Does.Contain(expectedMessage));
    }

    [Test]
    public void Parse_BrokenTreeField_NamesLineAndTree()
    {
        var error = Assert.Throws<ModelFormatException>(() =>
            LightGbmModel.Parse(HandModel.With("threshold=0.5", "threshold=0.5 oops")));

        Assert.That(error!.Message, Does.StartWith($"line {HandModel.LineOf("threshold=0.5")} (Tree=0): 'threshold'"));
    }

    [Test]
    public void Parse_ModelWithoutTrees_PredictsTheTransformOfZero()
    {
        var text = HandModel.Text[..HandModel.Text.IndexOf("Tree=0", StringComparison.Ordinal)] +
            HandModel.Text[HandModel.Text.IndexOf("end of trees", StringComparison.Ordinal)..];
        var model = LightGbmModel.Parse(text);
        var output = new double[1];

        model.Predict([1, 2, 3], output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.TreeCount, Is.Zero);
            Assert.That(output[0], Is.EqualTo(0.5));
        }
    }

    [TestCase("")]
    [TestCase("hello world")]
    [TestCase("{\"not\": \"a model\"}")]
    public void Parse_NotAModel_SaysSo(string text)
    {
        var error = Assert.Throws<ModelFormatException>(() => LightGbmModel.Parse(text));

        Assert.That(error!.Message, Does.Contain("not a LightGBM text model"));
    }

    [Test]
    public void Parse_MulticlassTreeCountNotMultipleOfClasses_Fails()
    {
        var text = HandModel.With("num_class=", "num_class=3")
            .Replace("num_tree_per_iteration=1", "num_tree_per_iteration=3")
            .Replace("objective=binary sigmoid:1", "objective=multiclass num_class:3");

        var error = Assert.Throws<ModelFormatException>(() => LightGbmModel.Parse(text));

        Assert.That(error!.Message, Does.Contain("2 trees, not a multiple of num_tree_per_iteration=3"));
    }

    [Test]
    public void Load_MissingFile_NamesPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.txt");

        var error = Assert.Throws<ModelFormatException>(() => LightGbmModel.Load(path));

        Assert.That(error!.Message, Does.Contain(path));
    }

    [Test]
    public void Load_BrokenFile_NamesPathAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-model-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, HandModel.With("left_child=1", "left_child=1 -9"));
        try
        {
            var error = Assert.Throws<ModelFormatException>(() => LightGbmModel.Load(path));

            Assert.That(error!.Message, Does.StartWith($"{path}: line {HandModel.LineOf("left_child=1")} (Tree=0)"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
