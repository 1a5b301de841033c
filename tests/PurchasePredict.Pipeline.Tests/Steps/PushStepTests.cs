namespace PurchasePredict.Pipeline.Tests;

public class PushStepTests
{
    [Test]
    public void PushedDigest_IsTheOneDockerPushReports() =>
        Assert.That(PushStep.PushedDigest("The push refers to repository [r]\nabc: Pushed\nsandbox: digest: sha256:" + new string('c', 64) + " size: 1573\n"),
            Is.EqualTo("sha256:" + new string('c', 64)));

    [TestCase("")]
    [TestCase("digest: sha256:short size: 1")]
    public void PushedDigest_WithoutOne_IsNull(string output) =>
        Assert.That(PushStep.PushedDigest(output), Is.Null);

    [Test]
    public void PushedDigest_OfADryRun_IsThePlannedStandIn() =>
        Assert.That(PushStep.PushedDigest(Docker.Push("r:1").PlannedOutput!), Is.EqualTo("<digest the registry reports>"));
}
