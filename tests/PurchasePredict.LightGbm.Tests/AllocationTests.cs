namespace PurchasePredict.LightGbm.Tests;

/// <summary>Predicting allocates nothing per row: not for binary, multiclass (softmax), categorical, linear trees or batches.</summary>
public sealed class AllocationTests
{
    [Test]
    public void Predict_AllocatesNothing()
    {
        var binary = LightGbmModel.Load(DemoFiles.ModelPath);
        var (data, text) = new TrainingScenario("multiclass", "objective=multiclass num_class=4", 50, CategoricalColumns: 2, Iterations: 10).Train();
        var multiclass = LightGbmModel.Parse(text);
        var (linearData, linearText) = new TrainingScenario("linear", "objective=regression linear_tree=true", 51, Iterations: 5).Train();
        var linear = LightGbmModel.Parse(linearText);
        var linearRows = linearData.Rows(100, edgeFraction: 0.1);
        var linearOutput = new double[100];
        var binaryRows = new double[100 * binary.FeatureCount];
        for (var i = 0; i < binaryRows.Length; i++)
        {
            binaryRows[i] = i % 7 == 0 ? double.NaN : i % 5;
        }

        var multiRows = data.Rows(100, edgeFraction: 0.1);
        var binaryOutput = new double[100];
        var multiOutput = new double[100 * multiclass.ClassCount];

        PredictAll(binary, binaryRows, binaryOutput);
        PredictAll(multiclass, multiRows, multiOutput);
        PredictAll(linear, linearRows, linearOutput);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var repeat = 0; repeat < 20; repeat++)
        {
            PredictAll(binary, binaryRows, binaryOutput);
            PredictAll(multiclass, multiRows, multiOutput);
            PredictAll(linear, linearRows, linearOutput);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    private static void PredictAll(LightGbmModel model, double[] rows, double[] output)
    {
        var count = rows.Length / model.FeatureCount;
        for (var r = 0; r < count; r++)
        {
            var features = rows.AsSpan(r * model.FeatureCount, model.FeatureCount);
            var scores = output.AsSpan(r * model.ClassCount, model.ClassCount);
            model.Predict(features, scores);
            model.PredictRaw(features, scores, iterations: 2);
        }

        model.Predict(rows, count, output);
    }
}
