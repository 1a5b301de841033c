namespace PurchasePredict.Pipeline.Tests;

// What a blocked deploy is told about the lock's holder (deploy-lock.sh's own tests cover the lock itself).
public class DeployLocksTests
{
    private const string Holder = "ci@runner7 pid 42 since 2026-01-01T00:00:00Z (Deploy of sandbox)";

    [Test]
    public void Holder_NamesUserMachineProcessTimeAndWhatFor()
    {
        var settings = DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy), DeployTestData.Paths);
        var holder = new DeployLocks(settings, new ServiceCommands(DeployTestData.Paths), new CommandRunner(_ => { }), _ => { }, "Rollback").Holder;
        Assert.That(holder, Does.Match(
            $"^{System.Environment.UserName}@{System.Environment.MachineName} pid {System.Environment.ProcessId} since \\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(Rollback of test\\)$"));
    }

    [Test]
    public void Advice_ProcessOnThisMachineStillRuns_SaysToWait() =>
        Assert.That(DeployLocks.Advice(Holder, "runner7", pid => pid == 42),
            Is.EqualTo("Process 42 still runs on this machine: wait for it (--lock-wait=<seconds>)."));

    [Test]
    public void Advice_ProcessOnThisMachineIsGone_SaysTheLockIsStale() =>
        Assert.That(DeployLocks.Advice(Holder, "runner7", _ => false),
            Is.EqualTo("Process 42 is gone from this machine: that deploy was killed and its lock is stale. Run again with --break-lock=true."));

    [Test]
    public void Advice_AnotherMachine_NamesIt_AndAsksNothingOfThisOne() =>
        Assert.That(DeployLocks.Advice(Holder, "laptop", _ => throw new AssertionException("no process of this machine is asked")),
            Does.StartWith("It runs on runner7: wait for it"));

    [Test]
    public void Advice_AHolderOfAnotherShape_StillSaysWhatToDo() =>
        Assert.That(DeployLocks.Advice("a deploy that is just starting", "runner7", _ => false), Does.Contain("--break-lock=true"));
}
