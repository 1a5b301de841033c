namespace PurchasePredict.Pipeline.Tests;

// One Deploy at a time per environment: the rollout lock on the first VM is held for the whole rollout.
public sealed partial class DeployEndToEndTests
{
    [Test, Order(7)]
    public void Deploy_WhileADeployOnAnotherMachineHoldsTheRolloutLock_FailsAtOnceNamingTheHolder_AndChangesNoVm()
    {
        var before = (History(2201), History(2202));
        OnVm(2201, "mkdir -p /var/lib/purchase_predict_api/rollout.lock && echo 'other@ci-runner pid 42 since 2026-01-01T00:00:00Z (Deploy of sandbox)' > /var/lib/purchase_predict_api/rollout.lock/holder");
        try
        {
            var second = Build("--target=DeployToVms", "--exclusive", "--force=true");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(second.ExitCode, Is.Not.Zero);
                Assert.That(second.Output, Does.Contain("another deploy holds the lock /var/lib/purchase_predict_api/rollout.lock: other@ci-runner pid 42 since 2026-01-01T00:00:00Z (Deploy of sandbox)"));
                Assert.That(second.Output, Does.Contain("It runs on ci-runner"));
                Assert.That(second.Output, Does.Contain("No VM was changed"));
                Assert.That((History(2201), History(2202)), Is.EqualTo(before));
            }
        }
        finally
        {
            OnVm(2201, "rm -rf /var/lib/purchase_predict_api/rollout.lock");
        }
    }

    // Two Deploys started a few seconds apart, as two CI jobs would: the second fails at once naming the
    // first; a third with --lock-wait waits, and starts on its first VM only after the first has ended.
    [Test, Order(8)]
    public void TwoDeploys_AFewSecondsApart_TheSecondFailsNamingTheFirst_AndOneWithLockWaitWaits_NeverInterleaving()
    {
        using var first = LaunchRelease(_first, "--force=true");
        using var waiting = Launch("--target=DeployToVms", "--exclusive", "--lock-wait=300");
        var second = Build("--target=DeployToVms", "--exclusive", "--force=true");
        var firstRun = Finish(first);
        var waited = Finish(waiting);
        var waitedStart = waiting.Lines.FirstOrDefault(l => l.Line.StartsWith("== Deploy pp-vm1", StringComparison.Ordinal)).At;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstRun.ExitCode, Is.Zero, firstRun.ToString());
            Assert.That(second.ExitCode, Is.Not.Zero);
            Assert.That(second.Output, Does.Contain($"another deploy holds the lock /var/lib/purchase_predict_api/rollout.lock: root@{System.Environment.MachineName} pid {first.Pid} since "));
            Assert.That(second.Output, Does.Contain($"Process {first.Pid} still runs on this machine: wait for it (--lock-wait=<seconds>)."));
            Assert.That(second.Output, Does.Not.Contain("== Deploy pp-vm1"), "the second touched no VM");
            Assert.That(waited.ExitCode, Is.Zero, waited.ToString());
            Assert.That(waited.Output, Does.Contain("is held by root@").And.Contain("waiting up to 300 s (--lock-wait)"));
            Assert.That(waitedStart, Is.GreaterThan(first.ExitedAt!.Value - TimeSpan.FromSeconds(1)), "the waiting deploy started on a VM only once the first had ended");
            Assert.That(waited.Output, Does.Contain("  pp-vm1: already ran").And.Contain("  pp-vm2: already ran"), "the first deployed the same release");
        }
    }
}
