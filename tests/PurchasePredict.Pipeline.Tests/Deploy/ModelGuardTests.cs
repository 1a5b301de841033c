namespace PurchasePredict.Pipeline.Tests;

// The bad-model guard's judgement of a /predict answer (build/deploy/ModelGuard.cs).
public class ModelGuardTests
{
    [TestCase("[0,1,1]", null)]
    [TestCase("[0, 1]", new[] { 0, 1 })]
    [TestCase("[1,0,0]", new[] { 1, 0, 0 })]
    public void Refusal_ListOf01MatchingOrNothingExpected_Passes(string answer, int[]? expected) =>
        Assert.That(ModelGuard.Refusal(answer, expected), Is.Null);

    [TestCase("[]", "not a list of 0/1")]
    [TestCase("[0.3,0.9]", "not a list of 0/1")]
    [TestCase("[0,2]", "not a list of 0/1")]
    [TestCase("{\"predictions\":[0]}", "not a list of 0/1")]
    [TestCase("<html>", "not a list of 0/1")]
    [TestCase("[0,1]", "answered 2 rows, the expected answers (deploy.expectedAnswers) have 3")]
    [TestCase("[0,1,1]", "row 2 of the check request: /predict answered 1, deploy.expectedAnswers says 0")]
    public void Refusal_NamesWhatIsWrong(string answer, string refusal) =>
        Assert.That(ModelGuard.Refusal(answer, [0, 1, 0]), Does.Contain(refusal));

    [Test]
    public void Refusal_FirstDifferingRowIsNamed_NotALaterOne() =>
        Assert.That(ModelGuard.Refusal("[1,1,1,1]", [1, 0, 1, 0]), Does.StartWith("row 1 of"));

    [Test]
    public void Refusal_OfAHugeAnswer_QuotesOnlyItsStart() =>
        Assert.That(ModelGuard.Refusal(new string('x', 5000), null)!.Length, Is.LessThan(300));

    [Test]
    public void ReadExpected_TheDemoModelsFile_IsItsPredictions() =>
        Assert.That(ModelGuard.ReadExpected(Path.Combine(RepositoryRoot.Find(), "models", "demo", "expected.json")), Is.EqualTo(new[] { 1, 0, 0, 0, 1, 0, 0, 0, 0, 0 }));

    [TestCase("[1,0]", new[] { 1, 0 })]
    [TestCase("{\"predictions\": [0]}", new[] { 0 })]
    public void ReadExpected_AcceptsABareListOrPredictions(string text, int[] labels)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, text);
            Assert.That(ModelGuard.ReadExpected(file), Is.EqualTo(labels));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase("{\"probabilities\": [0.5]}")]
    [TestCase("[0.5]")]
    [TestCase("not json")]
    [TestCase("[]")]
    public void ReadExpected_AnythingElse_IsASettingsErrorNamingTheFile(string text)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, text);
            Assert.That(() => ModelGuard.ReadExpected(file), Throws.TypeOf<SettingsException>()
                .With.Message.Contains("deploy.expectedAnswers").And.Message.Contains(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
