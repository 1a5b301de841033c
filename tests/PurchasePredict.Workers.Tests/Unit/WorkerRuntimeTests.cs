using PurchasePredict.Workers.Master;

namespace PurchasePredict.Workers.Tests.Unit;

public class WorkerRuntimeTests
{
    private static IReadOnlyDictionary<string, string> For(
        int workers, int processors, bool underMemoryLimit = false, params (string Name, string Value)[] operatorSet) =>
        WorkerRuntime.Environment(workers, processors, underMemoryLimit,
            name => operatorSet.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault());

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
        Assert.That(For(4, 2, false, ("DOTNET_PROCESSOR_COUNT", operatorValue)), Does.Not.ContainKey("DOTNET_PROCESSOR_COUNT"));

    [TestCase("")]
    [TestCase(" ")]
    public void ProcessorCount_SetEmpty_CountsAsUnset(string operatorValue) =>
        Assert.That(For(2, 2, false, ("DOTNET_PROCESSOR_COUNT", operatorValue))["DOTNET_PROCESSOR_COUNT"], Is.EqualTo("1"));

    // The runtime's own 75 % of the limit for the heap, split between the workers; hexadecimal, as the runtime reads it.
    [TestCase(1, "4b")]
    [TestCase(2, "25")]
    [TestCase(4, "12")]
    [TestCase(100, "1")]
    public void HeapLimit_UnderAMemoryLimit_IsTheWorkersShareOfTheRuntimesDefault(int workers, string expectedHexPercent) =>
        Assert.That(For(workers, 2, underMemoryLimit: true)["DOTNET_GCHeapHardLimitPercent"], Is.EqualTo(expectedHexPercent));

    [Test]
    public void HeapLimit_WithoutAMemoryLimit_IsNotSet() =>
        Assert.That(For(4, 2), Does.Not.ContainKey("DOTNET_GCHeapHardLimitPercent"));

    [TestCase("DOTNET_GCHeapHardLimit", "20000000")]
    [TestCase("DOTNET_GCHeapHardLimitPercent", "30")]
    public void HeapLimit_SetByTheOperator_IsLeftToTheWorkersToInherit(string name, string value) =>
        Assert.That(For(2, 2, true, (name, value)), Does.Not.ContainKey("DOTNET_GCHeapHardLimitPercent"));
}
