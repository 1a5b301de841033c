namespace PurchasePredict.Pipeline.Tests;

public class HostToolsTests
{
    [Test]
    public void RequireLibrary_Present_RunsNothing()
    {
        var logged = new List<string>();
        new HostTools(new CommandRunner(logged.Add) { DryRun = true }).RequireLibrary("libc.so.6", "libc6");
        Assert.That(logged, Is.Empty);
    }

    [Test]
    public void RequireLibrary_Missing_PlansTheDebianPackage()
    {
        var logged = new List<string>();
        new HostTools(new CommandRunner(logged.Add) { DryRun = true }).RequireLibrary("libnot-there.so.9", "libnot-there9");
        Assert.That(logged, Has.One.Contains("apt-get").And.Contains("libnot-there9"));
    }
}
