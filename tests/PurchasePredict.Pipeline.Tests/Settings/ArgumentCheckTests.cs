namespace PurchasePredict.Pipeline.Tests;

public class ArgumentCheckTests
{
    [TestCase("brnach", "Unknown argument --brnach (did you mean '--branch'?).")]
    [TestCase("secret-file", "Unknown argument --secret-file (did you mean '--secrets-file'?).")]
    [TestCase("tagret", "Unknown argument --tagret (did you mean '--target'?).")]
    [TestCase("dryrn", "Unknown argument --dryrn (did you mean '--dryrun'?).")]
    [TestCase("zzzzzzzz", "Unknown argument --zzzzzzzz.")]
    public void RejectUnknown_NamesTheArgumentAndTheClosestKnownOne(string argument, string expected) =>
        Assert.That(() => ArgumentCheck.RejectUnknown(["target", argument]),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith(expected).And.Message.Contains("./build.sh --help"));

    [Test]
    public void RejectUnknown_AcceptsEverySettingTheEnvironmentAndCakesOwn() =>
        Assert.That(() => ArgumentCheck.RejectUnknown([.. SettingCatalog.All.Select(s => s.Argument), "env", "target", "TARGET", "invalidate-script-cache", "settings_skipverification"]),
            Throws.Nothing);
}
