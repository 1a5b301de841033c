namespace PurchasePredict.Pipeline.Tests;

// A release that cannot serve never takes the VM down; what the settings hold reaches the container as it is.
public sealed partial class DeployEndToEndTests
{
    // The model URI names no object: the release proves itself beside the running one and fails there,
    // so the client, a new connection per request, never sees a failure.
    [Test, Order(10)]
    public async Task Deploy_OfAReleaseThatCannotLoadItsModel_UnderAProbeLoop_FailsWithZeroFailedRequests_AndTheOldReleaseServes()
    {
        var before = (History(2201), History(2202));
        var badEnv = SandboxEnv.Replace("model/model.lgb", "no/such/model.txt");
        var load = new PredictLoop(8081, RequestBody, maxRequests: 30_000, maxTime: TimeSpan.FromMinutes(3));
        await Task.Delay(1000);
        var failed = Build("--target=DeployToVms", "--exclusive", "--deploy-env=" + badEnv);
        await Task.Delay(1000);
        await load.StopAsync();
        TestContext.Progress.WriteLine($"failed deploy under load: {load}, deploy took {failed.Duration.TotalSeconds:F1} s");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.ExitCode, Is.Not.Zero);
            Assert.That(load.Failed, Is.Zero, $"{load}: {load.Failures}");
            Assert.That(load.Answered, Is.GreaterThan(50), load.ToString());
            Assert.That(failed.Output, Does.Contain("the candidate's last lines"));
            Assert.That(failed.Output, Does.Contain("no/such/model.txt"), "the candidate's log says why");
            Assert.That(failed.Output, Does.Contain("The running release was never stopped."));
            Assert.That(failed.Output, Does.Contain("  pp-vm2: not touched"));
            Assert.That(RunningImage(2201), Is.EqualTo(_first.Reference));
            Assert.That((History(2201), History(2202)), Is.EqualTo(before));
            Assert.That(OnVm(2201, "cat /etc/default/purchase_predict_api"), Does.Not.Contain("no/such"));
            Assert.That(Leftovers(2201), Is.Empty);
            Assert.That(await EnvironmentTag(), Is.EqualTo(_first.Digest), "the tag moves only after a verified rollout");
        }
    }

    // With the app's env file as the unit's EnvironmentFile=, DOCKER_HOST pointed the unit's own docker
    // elsewhere and systemd read a final backslash as joining the next line. Now the unit reads none of it.
    [Test, Order(11)]
    public async Task Deploy_DockerHostAndATrailingBackslash_ReachTheContainerVerbatim_AndTheUnitStillStartsAndStops()
    {
        var env = SandboxEnv.Replace("}", """, "DOCKER_HOST": "tcp://127.0.0.1:9", "E2E_TRAILING": "ends with a backslash\\", "E2E_NEXT": "next"}""");
        var run = Build("--target=DeployToVms", "--exclusive", FirstVmOnly, "--deploy-env=" + env);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var seen = OnVm(2201, "docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' purchase_predict_api").Split('\n');
        Assert.That(seen, Is.SupersetOf(new[] { "DOCKER_HOST=tcp://127.0.0.1:9", "E2E_TRAILING=ends with a backslash\\", "E2E_NEXT=next" }));
        var started = ServiceStartedAt(2201);
        OnVm(2201, "systemctl stop purchase_predict_api && systemctl start purchase_predict_api");
        Assert.That(await PredictWithin(8081, TimeSpan.FromSeconds(90)), Does.StartWith("["));
        Assert.That(ServiceStartedAt(2201), Is.Not.EqualTo(started), "the unit stopped its container and started a new one");
        var back = Build("--target=DeployToVms", "--exclusive", FirstVmOnly);
        Assert.That(back.ExitCode, Is.Zero, back.ToString());
    }
}
