using PurchasePredict.Workers.Master;

namespace PurchasePredict.Workers.Tests.Unit;

public class BootBackoffTests
{
    [TestCase(1, 250)]
    [TestCase(2, 500)]
    [TestCase(3, 1000)]
    [TestCase(5, 4000)]
    [TestCase(7, 16000)]
    [TestCase(40, 30000)]
    public void DelayAfter_DoublesUpToACap(int failures, int expectedMs) =>
        Assert.That(BootBackoff.DelayAfter(failures), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));

    [Test]
    public void IsFailing_FromTheBoundOn()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(BootBackoff.IsFailing(BootBackoff.MaxAttempts - 1), Is.False);
            Assert.That(BootBackoff.IsFailing(BootBackoff.MaxAttempts), Is.True);
            Assert.That(BootBackoff.IsFailing(BootBackoff.MaxAttempts + 3), Is.True);
        }
    }
}
