namespace PurchasePredict.Pipeline.Tests;

// build/remote/deploy-lock.sh with a real shell.
public class DeployLockScriptTests
{
    private ScriptBench _bench = null!;

    private string Lock => _bench["state/deploy.lock"];

    [SetUp]
    public void Create() => _bench = new ScriptBench();

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void Take_WhenFree_RecordsTheHolder()
    {
        var result = _bench.Run("deploy-lock.sh", Lock, "ci@runner pid 7 since 2026-01-01T00:00:00Z", "keep");
        Assert.That((result.ExitCode, File.ReadAllText(Path.Combine(Lock, "holder"))), Is.EqualTo((0, "ci@runner pid 7 since 2026-01-01T00:00:00Z\n")));
    }

    [Test]
    public void Take_WhenHeld_Exits75NamingTheHolder_AndLeavesItAlone()
    {
        _bench.Run("deploy-lock.sh", Lock, "first", "keep");
        var second = _bench.Run("deploy-lock.sh", Lock, "second", "keep");
        Assert.That((second.ExitCode, second.StandardOutput, File.ReadAllText(Path.Combine(Lock, "holder"))), Is.EqualTo((75, "first\n", "first\n")));
    }

    [Test]
    public void Take_WithBreak_ReplacesAStaleLock()
    {
        _bench.Run("deploy-lock.sh", Lock, "dead", "keep");
        var result = _bench.Run("deploy-lock.sh", Lock, "alive", "break");
        Assert.That((result.ExitCode, File.ReadAllText(Path.Combine(Lock, "holder"))), Is.EqualTo((0, "alive\n")));
    }

    [Test]
    public void Take_WhileAnotherIsStarting_SaysSo()
    {
        Directory.CreateDirectory(Lock);
        var result = _bench.Run("deploy-lock.sh", Lock, "second", "keep");
        Assert.That((result.ExitCode, result.StandardOutput), Is.EqualTo((75, "a deploy that is just starting\n")));
    }

    [Test]
    public void Release_OfItsOwnLock_RemovesIt()
    {
        _bench.Run("deploy-lock.sh", Lock, "me", "keep");
        var result = _bench.Run("deploy-lock.sh", Lock, "me", "release");
        Assert.That((result.ExitCode, Directory.Exists(Lock)), Is.EqualTo((0, false)));
    }

    // A --break-lock=true run took it over while this one was still going: it is the other run's now.
    [Test]
    public void Release_OfALockSomeoneElseTookOver_LeavesIt_AndNamesTheHolder()
    {
        _bench.Run("deploy-lock.sh", Lock, "other", "keep");
        var result = _bench.Run("deploy-lock.sh", Lock, "me", "release");
        Assert.That((result.ExitCode, result.StandardOutput, Directory.Exists(Lock)), Is.EqualTo((75, "other\n", true)));
    }

    [Test]
    public void Release_WhenNothingIsHeld_IsFine() =>
        Assert.That(_bench.Run("deploy-lock.sh", Lock, "me", "release").ExitCode, Is.Zero);

    [TestCase("steal")]
    [TestCase("")]
    public void Take_WithAnUnknownMode_FailsAndTakesNothing(string mode)
    {
        var result = _bench.Run("deploy-lock.sh", Lock, "x", mode);
        Assert.That((result.ExitCode, Directory.Exists(Lock)), Is.EqualTo((2, false)));
    }

    [Test]
    public void WithoutItsArguments_PrintsUsage() =>
        Assert.That(_bench.Run("deploy-lock.sh", Lock).StandardError, Does.StartWith("usage: deploy-lock.sh LOCK_DIR HOLDER keep|break|release"));
}
