namespace PurchasePredict.Pipeline.Tests;

public class SudoTests
{
    [TestCase("deploy", "sudo -n -- systemctl restart purchase_predict_api.service")]
    [TestCase(null, "sudo -n -- systemctl restart purchase_predict_api.service")]
    [TestCase("root", "systemctl restart purchase_predict_api.service")]
    public void Sudo_AsRoot_OnlyWhenTheLoginUserIsNotRoot(string? user, string expected) =>
        Assert.That(Sudo.AsRoot(user, Systemctl.Restart("purchase_predict_api.service")).ToString(), Is.EqualTo(expected));

    [Test]
    public void Sudo_AsRoot_RefusesSecrets() =>
        Assert.That(() => Sudo.AsRoot("deploy", ShellCommand.Of("echo", new Secret("s3cret"))),
            Throws.InvalidOperationException.With.Message.Not.Contains("s3cret"));
}
