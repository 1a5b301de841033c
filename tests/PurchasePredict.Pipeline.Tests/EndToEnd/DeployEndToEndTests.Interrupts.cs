namespace PurchasePredict.Pipeline.Tests;

// Ctrl-C, a CI runner's cancel and kill -9, in the middle of DeployToVms. The releases used here are the
// first one with an entrypoint that misbehaves on some ports only (a shell case pattern over PORT):
// E2E_SLEEP_ON makes it sleep 30 s before starting, E2E_FAIL_ON exit at once. The candidate listens on a
// port of 20000-31999, the service on 8081/8082, so a release can pass its proof and fail after the switch.
public sealed partial class DeployEndToEndTests
{
    private const string Misbehaving = """
        case $PORT in ${E2E_FAIL_ON:-none}) echo "e2e: this release fails on port $PORT" >&2; exit 1 ;; esac
        case $PORT in ${E2E_SLEEP_ON:-none}) sleep 30 ;; esac
        exec /app/purchase_predict_api "$@"
        """;

    private PushedImage? _misbehaving;

    private PushedImage MisbehavingRelease => _misbehaving ??= Release("e2e-misbehaving", new string('e', 40), Misbehaving);

    private static string EnvWith(string name, string pattern) => SandboxEnv.Replace("}", $", \"{name}\": \"{pattern}\"}}");

    // A CI runner cancels the job (SIGTERM to the process) while the release proves itself.
    [Test, Order(20)]
    public void Sigterm_WhileTheReleaseProvesItself_RemovesTheCandidate_AndChangesNoVm()
    {
        using var deploy = LaunchRelease(MisbehavingRelease, "--deploy-env=" + EnvWith("E2E_SLEEP_ON", "2*"));
        Assert.That(deploy.WaitForLine("pp-vm1 (deploy@127.0.0.1:2201): proving", TimeSpan.FromMinutes(3)), Is.Not.Null, deploy.Output);
        Thread.Sleep(2000);
        deploy.Signal("TERM", wholeGroup: false);
        var run = Finish(deploy);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain("SIGTERM: stopping."));
            Assert.That(run.Output, Does.Contain("Interrupted by SIGTERM"));
            Assert.That(run.Output, Does.Contain("The running release was never stopped."));
            Assert.That(run.Output, Does.Contain("State of each VM:\n  pp-vm1: not changed").And.Contain("  pp-vm2: not touched"));
            Assert.That(run.Duration, Is.LessThan(TimeSpan.FromSeconds(90)), "it stops soon, without waiting out the proof");
            Assert.That(SharedSshConnectionsLeft(), Is.Empty, "an interrupted run closes its ssh connections too");
            foreach (var vm in Vms)
            {
                Assert.That(Leftovers(vm.SshPort), Is.Empty, vm.Name);
                Assert.That(RunningImage(vm.SshPort), Is.EqualTo(_first.Reference), vm.Name);
            }
            Assert.That(LocalEnvFiles(), Is.Empty);
        }
    }

    // Ctrl-C in a terminal: SIGINT to the pipeline's whole process group, while pp-vm1 already restarted on
    // a release whose service takes 30 s to start (no handover: the restart is the switch). The commands on
    // the VM finish, the last verified release is put back, every lock goes.
    [Test, Order(21)]
    public async Task Sigint_ToTheProcessGroup_WhileSwitching_UndoesToTheLastVerifiedRelease_AndLeavesNothingBehind()
    {
        using var deploy = LaunchRelease(MisbehavingRelease, "--deploy-handover=false", "--deploy-env=" + EnvWith("E2E_SLEEP_ON", "808[12]"));
        Assert.That(deploy.WaitForLine("pp-vm1 (deploy@127.0.0.1:2201): switching to the new release", TimeSpan.FromMinutes(3)), Is.Not.Null, deploy.Output);
        Thread.Sleep(3000);
        deploy.Signal("INT", wholeGroup: true);
        var run = Finish(deploy);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain("Interrupted by SIGINT"));
            Assert.That(run.Output, Does.Contain($"Rolled back: the last verified release (commit {_commit}) answers again."));
            Assert.That(run.Output, Does.Contain($"  pp-vm1: rolled back to its last verified release, commit {_commit}").And.Contain("  pp-vm2: not touched"));
            foreach (var vm in Vms)
            {
                Assert.That(Leftovers(vm.SshPort), Is.Empty, vm.Name);
                Assert.That(RunningImage(vm.SshPort), Is.EqualTo(_first.Reference).And.EqualTo(NewestVerifiedImage(vm.SshPort)), vm.Name + " serves a verified release");
                Assert.That(await Predict(vm.ServicePort), Does.StartWith("["), vm.Name);
            }
            Assert.That(LocalEnvFiles(), Is.Empty);
        }
        var next = Build("--target=DeployToVms", "--exclusive");
        Assert.That(next.ExitCode, Is.Zero, "the next deploy needs no --break-lock:\n" + next);
    }

    // After that interrupted deploy, a release that proves itself but whose service fails on the VM's port:
    // the undo goes back to the last verified release of the history (the first one), never to what an
    // interrupted deploy may have left installed.
    [Test, Order(22)]
    public async Task FailingDeploy_AfterTheInterruptedOne_RollsBackToTheLastVerifiedRelease()
    {
        var failed = DeployRelease(MisbehavingRelease, "--deploy-env=" + EnvWith("E2E_FAIL_ON", "808[12]"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.ExitCode, Is.Not.Zero);
            Assert.That(failed.Output, Does.Contain("last 100 lines of the journal"));
            Assert.That(failed.Output, Does.Contain("e2e: this release fails on port 8081"));
            Assert.That(failed.Output, Does.Contain($"Rolled back: the last verified release (commit {_commit}) answers again."));
            Assert.That(failed.Output, Does.Contain("  pp-vm2: not touched"));
            Assert.That(RunningImage(2201), Is.EqualTo(_first.Reference));
            Assert.That(NewestVerifiedImage(2201), Is.EqualTo(_first.Reference));
            Assert.That(await Predict(8081), Does.StartWith("["));
            Assert.That(Leftovers(2201), Is.Empty);
        }
    }

    // kill -9 of ./build.sh: Cake is that very process, so nothing goes on deploying in the background. What
    // it held stays: the next deploy names it (its process is gone from this machine), and only
    // --break-lock=true removes it, with what the killed deploy left on the VM.
    [Test, Order(23)]
    public void Kill9_OfBuildSh_StopsTheDeploy_TheNextOneNamesTheStaleLock_AndBreakLockClearsItAll()
    {
        using var deploy = LaunchRelease(_first, "--force=true");
        Assert.That(deploy.WaitForLine("pp-vm1 (deploy@127.0.0.1:2201): proving", TimeSpan.FromMinutes(3)), Is.Not.Null, deploy.Output);
        deploy.Signal("KILL", wholeGroup: false);
        var killed = Finish(deploy);
        Thread.Sleep(3000);
        var cakes = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsAsciiDigit))
            .Where(pid => CommandLineOf(pid!).Contains("Cake.dll") && CurrentDirectoryOf(pid!) == _workspace.Folder).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(killed.ExitCode, Is.EqualTo(137));
            Assert.That(cakes, Is.Empty, "no Cake process of this checkout outlives ./build.sh");
            Assert.That(OnVm(2201, "cat /var/lib/purchase_predict_api/rollout.lock/holder"), Does.Contain($" pid {deploy.Pid} since "));
        }
        var blocked = Build("--target=DeployToVms", "--exclusive");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blocked.ExitCode, Is.Not.Zero);
            Assert.That(blocked.Output, Does.Contain("another deploy holds the lock /var/lib/purchase_predict_api/rollout.lock: "));
            Assert.That(blocked.Output, Does.Contain($"Process {deploy.Pid} is gone from this machine: that deploy was killed and its lock is stale. Run again with --break-lock=true."));
        }
        var broken = Build("--target=DeployToVms", "--exclusive", "--break-lock=true");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(broken.ExitCode, Is.Zero, broken.ToString());
            Assert.That(broken.Output, Does.Contain("left by the deploy whose lock was broken: removed"));
            foreach (var vm in Vms)
            {
                Assert.That(Leftovers(vm.SshPort), Is.Empty, vm.Name);
                Assert.That(RunningImage(vm.SshPort), Is.EqualTo(_first.Reference).And.EqualTo(NewestVerifiedImage(vm.SshPort)), vm.Name);
            }
        }
    }

    // A background DeployToVms of a release: image.json names it until the run has read it (it has once
    // it starts on the first VM), then the first release again.
    private BackgroundRun LaunchRelease(PushedImage image, params string[] arguments)
    {
        File.WriteAllText(ImageJson, image.ToJson());
        var run = Launch(["--target=DeployToVms", "--exclusive", .. arguments]);
        var started = run.WaitForLine("== Deploy pp-vm1", TimeSpan.FromMinutes(3));
        File.WriteAllText(ImageJson, _first.ToJson());
        if (started is null)
        {
            run.Dispose();
            Assert.Fail("the deploy never started on pp-vm1:\n" + run.Output);
        }
        return run;
    }

    private static string CommandLineOf(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string? CurrentDirectoryOf(string pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
