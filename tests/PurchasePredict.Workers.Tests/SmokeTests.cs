namespace PurchasePredict.Workers.Tests;
public class SmokeTests { [Test] public void Placeholder() => Assert.That(1, Is.EqualTo(1)); }
