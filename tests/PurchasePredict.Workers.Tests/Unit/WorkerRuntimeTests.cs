using PurchasePredict.Workers.Master;

namespace PurchasePredict.Workers.Tests.Unit;

public class WorkerRuntimeTests
{
    private static IReadOnlyDictionary<string, string> For(int workers, int processors, string? operatorValue = null) =>
        WorkerRuntime.Environment(workers, processors,
            name => name == WorkerRuntime.ProcessorCountVariable ? operatorValue : null);

    [TestCase(2, 2, "1")]
    [TestCase(4, 2, "1")]
    [TestCase(2, 8, "4")]
    [TestCase(3, 8, "2")]
    [TestCase(4, 4, "1")]
    [TestCase(256, 2, "1")]
    public void ProcessorCount_IsTheWorkersShareOfTheCpus_AtLeastOne(int workers, int processors, string expected) =>
        Assert.That(For(workers, processors), Is.EqualTo(new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = expected }));

    [TestCase("3")]
    [TestCase("16")]
    public void ProcessorCount_SetByTheOperator_IsLeftToTheWorkersToInherit(string operatorValue) =>
        Assert.That(For(4, 2, operatorValue), Is.Empty);

    [TestCase("")]
    [TestCase(" ")]
    public void ProcessorCount_SetEmpty_CountsAsUnset(string operatorValue) =>
        Assert.That(For(2, 2, operatorValue)["DOTNET_PROCESSOR_COUNT"], Is.EqualTo("1"));
}
