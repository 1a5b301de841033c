namespace PurchasePredict.Pipeline.Tests;

// The history keeps distinct releases, and Rollback goes back through them; the environment's tag follows.
public sealed partial class DeployEndToEndTests
{
    private PushedImage? _second;

    private PushedImage SecondRelease => _second ??= Release("e2e-second", new string('b', 40));

    // Six redeploys of one release (forced, no handover, pp-vm1 only to keep it short) push nothing out
    // of the history: Rollback then brings back the release before them.
    [Test, Order(30)]
    public void SixRedeploysOfOneRelease_ThenRollback_BringsBackTheReleaseBeforeThem()
    {
        // Entries are named <UTC time>-<commit>: only this test's count (a killed run may have left one of this commit).
        var since = DeployHistory.EntryName(DateTime.UtcNow.AddSeconds(-1), "");
        for (var i = 0; i < 6; i++)
        {
            var redeploy = DeployRelease(SecondRelease, FirstVmOnly, "--force=true", "--deploy-handover=false");
            Assert.That(redeploy.ExitCode, Is.Zero, $"redeploy {i + 1}:\n{redeploy}");
        }
        var entries = History(2201).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(entries.Count(e => string.CompareOrdinal(e, since) >= 0 && e.EndsWith("-" + SecondRelease.Commit[..12], StringComparison.Ordinal)),
            Is.EqualTo(1), string.Join("\n", entries));
        var rollback = Build("--target=Rollback", FirstVmOnly);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rollback.ExitCode, Is.Zero, rollback.ToString());
            Assert.That(RunningImage(2201), Is.EqualTo(_first.Reference));
            Assert.That(NewestVerifiedImage(2201), Is.EqualTo(_first.Reference));
        }
    }

    [Test, Order(31)]
    public async Task Rollback_GoesToThePreviousRelease_VersionPicksOne_AndTheEnvironmentsTagFollows()
    {
        var second = DeployRelease(SecondRelease);
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(RunningImage(2202), Is.EqualTo(SecondRelease.Reference));
        Assert.That(await EnvironmentTag(), Is.EqualTo(SecondRelease.Digest));

        var rollback = Build("--target=Rollback");
        Assert.That(rollback.ExitCode, Is.Zero, rollback.ToString());
        foreach (var vm in Vms)
        {
            Assert.That(RunningImage(vm.SshPort), Is.EqualTo(_first.Reference), vm.Name);
            Assert.That(await Predict(vm.ServicePort), Does.StartWith("["), vm.Name);
        }
        Assert.That(await EnvironmentTag(), Is.EqualTo(_first.Digest));

        var forward = Build("--target=Rollback", "--rollback-version=" + SecondRelease.Commit[..8]);
        Assert.That(forward.ExitCode, Is.Zero, forward.ToString());
        Assert.That(RunningImage(2201), Is.EqualTo(SecondRelease.Reference));

        var back = Build("--target=Rollback", "--rollback-version=" + _commit[..8]);
        Assert.That(back.ExitCode, Is.Zero, back.ToString());
        Assert.That(await EnvironmentTag(), Is.EqualTo(_first.Digest));
    }
}
