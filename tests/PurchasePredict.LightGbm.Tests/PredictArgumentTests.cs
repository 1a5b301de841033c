namespace PurchasePredict.LightGbm.Tests;

/// <summary>Input is checked where it enters: wrong sizes are errors, never a silent 0.</summary>
public sealed class PredictArgumentTests
{
    private static readonly LightGbmModel Model = LightGbmModel.Parse(HandModel.Text);

    [Test]
    public void Predict_TooFewFeatures_Throws() =>
        Assert.That(() => Model.Predict(new double[2], new double[1]),
            Throws.ArgumentException.With.Message.Contains("expects 3 features, got 2"));

    [Test]
    public void PredictRaw_TooManyFeatures_Throws() =>
        Assert.That(() => Model.PredictRaw(new double[4], new double[1]),
            Throws.ArgumentException.With.Message.Contains("expects 3 features, got 4"));

    [Test]
    public void Predict_OutputOfWrongSize_Throws() =>
        Assert.That(() => Model.Predict(new double[3], new double[2]),
            Throws.ArgumentException.With.Message.Contains("writes 1 outputs per row, got room for 2"));

    [Test]
    public void PredictBatch_RowsNotMatchingRowCount_Throws() =>
        Assert.That(() => Model.Predict(new double[7], 2, new double[2]),
            Throws.ArgumentException.With.Message.Contains("2 rows of 3 features need 6 values, got 7"));

    [Test]
    public void PredictBatch_OutputNotMatchingRowCount_Throws() =>
        Assert.That(() => Model.Predict(new double[6], 2, new double[1]),
            Throws.ArgumentException.With.Message.Contains("2 rows need 2 outputs"));

    [Test]
    public void Predict_NegativeIterations_Throws() =>
        Assert.That(() => Model.Predict(new double[3], new double[1], iterations: -1),
            Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Predict_MoreIterationsThanTrained_UsesAllAsLightGbmDoes()
    {
        var all = new double[1];
        var more = new double[1];

        Model.PredictRaw([0.9, 0, 0], all);
        Model.PredictRaw([0.9, 0, 0], more, iterations: 50);

        Assert.That(more[0], Is.EqualTo(all[0]));
    }

    [Test]
    public void PredictBatch_EqualsRowByRow()
    {
        double[] rows = [0.2, 0, 0, 0.2, 1, 0, 0.9, 2, 0, double.NaN, double.NaN, double.NaN];
        var batch = new double[4];
        Model.Predict(rows, 4, batch);

        var single = new double[4];
        for (var r = 0; r < 4; r++)
        {
            Model.Predict(rows.AsSpan(r * 3, 3), single.AsSpan(r, 1));
        }

        Assert.That(batch, Is.EqualTo(single));
    }
}
