namespace PurchasePredict.LightGbm.Tests;

public sealed class CategoricalFeatureTests
{
    [Test]
    public void PandasCategorical_MapsListToCategoricalFeatureFromParameters()
    {
        var model = LightGbmModel.Parse(HandModel.Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.IsCategorical(0), Is.False);
            Assert.That(model.IsCategorical(1), Is.True);
            Assert.That(model.IsCategorical(2), Is.False);
            Assert.That(model.PandasCategories[0], Is.Null);
            Assert.That(model.PandasCategories[1], Is.EqualTo(new[] { "x", "y", "z" }));
            Assert.That(model.PandasCategories[2], Is.Null);
        }
    }

    [Test]
    public void PandasCategorical_Null_GivesNoCategoriesButKeepsCategoricalFeatures()
    {
        var model = LightGbmModel.Parse(HandModel.With("pandas_categorical:", "pandas_categorical:null"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.PandasCategories, Has.All.Null);
            Assert.That(model.IsCategorical(1), Is.True);
        }
    }

    [Test]
    public void PandasCategorical_NumbersAndEscapes_KeptAsText()
    {
        var model = LightGbmModel.Parse(HandModel.With("pandas_categorical:", "pandas_categorical:[[1, 2.5, \"a\\\"b\", \"caf\\u00e9\"]]"));

        Assert.That(model.PandasCategories[1], Is.EqualTo(new[] { "1", "2.5", "a\"b", "café" }));
    }

    [Test]
    public void CategoricalFeatureParameter_ByName_IsResolved()
    {
        var text = HandModel.With("[categorical_feature:", "[categorical_feature: name:c]")
            .Replace("pandas_categorical:[[\"x\", \"y\", \"z\"]]", "pandas_categorical:[[\"p\", \"q\"]]");

        var model = LightGbmModel.Parse(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.IsCategorical(1), Is.False);
            Assert.That(model.IsCategorical(2), Is.True);
            Assert.That(model.PandasCategories[2], Is.EqualTo(new[] { "p", "q" }));
        }
    }

    [Test]
    public void NoCategoricalFeatureParameter_FallsBackToCategoricalSplits()
    {
        var text = HandModel.With("[categorical_feature:", "[max_bin: 255]");

        var model = LightGbmModel.Parse(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.IsCategorical(1), Is.True);
            Assert.That(model.IsCategorical(0), Is.False);
            Assert.That(model.PandasCategories[1], Is.EqualTo(new[] { "x", "y", "z" }));
        }
    }

    [TestCase(-1)]
    [TestCase(3)]
    public void IsCategorical_OutOfRange_Throws(int feature)
    {
        var model = LightGbmModel.Parse(HandModel.Text);

        Assert.That(() => model.IsCategorical(feature), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
