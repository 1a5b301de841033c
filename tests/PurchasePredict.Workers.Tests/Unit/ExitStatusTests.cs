using PurchasePredict.Workers.Master;

namespace PurchasePredict.Workers.Tests.Unit;

public class ExitStatusTests
{
    [TestCase(0, "code 0")]
    [TestCase(3, "code 3")]
    [TestCase(128, "code 128")]
    [TestCase(137, "signal 9")]
    [TestCase(143, "signal 15")]
    public void FromExitCode_ReadsCodesAbove128AsSignals(int exitCode, string expected) =>
        Assert.That(ExitStatus.FromExitCode(exitCode).ToString(), Is.EqualTo(expected));
}
