namespace PurchasePredict.Pipeline.Tests;

// The sandbox's state lives in one place per machine, whichever checkout asks: the rule
// tools/storage-emulator/start.sh follows for its cache too.
public class BuildPathsTests
{
    [TestCase("/c", null, "/h", "/c/sandbox")]
    [TestCase(null, "/x", "/h", "/x/purchase-predict/sandbox")]
    [TestCase(null, null, "/h", "/h/.cache/purchase-predict/sandbox")]
    [TestCase("", "", "/h", "/h/.cache/purchase-predict/sandbox")]
    public void SandboxHome_FollowsTheCacheVariables(string? cache, string? xdg, string? home, string expected)
    {
        var variables = new Dictionary<string, string?> { ["PURCHASE_PREDICT_CACHE"] = cache, ["XDG_CACHE_HOME"] = xdg, ["HOME"] = home };
        Assert.That(new BuildPaths("/checkout", variables.GetValueOrDefault).SandboxHome, Is.EqualTo(expected));
    }

    [Test]
    public void SandboxHome_IsTheSameForEveryCheckout()
    {
        string? Home(string name) => name == "HOME" ? "/h" : null;
        Assert.That(new BuildPaths("/one", Home).SandboxSsh, Is.EqualTo(new BuildPaths("/two", Home).SandboxSsh));
    }

    [Test]
    public void StorageEmulator_UsesTheSameCacheRoot() =>
        Assert.That(File.ReadAllText(DeployTestData.Paths.StorageEmulator),
            Does.Contain("cache_root=${PURCHASE_PREDICT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purchase-predict}"));
}
