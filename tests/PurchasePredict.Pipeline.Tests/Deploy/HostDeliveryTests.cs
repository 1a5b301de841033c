namespace PurchasePredict.Pipeline.Tests;

// One VM's delivery, without a VM: the dry-run runner walks the same steps and logs each command.
public class HostDeliveryTests
{
    private const string WithHandover = """
        {
          "hosts": [
            {"name": "vm1", "address": "127.0.0.1", "sshPort": 2201, "servicePort": 8081},
            {"name": "vm2", "address": "127.0.0.1", "sshPort": 2202, "servicePort": 8082}
          ],
          "sshUser": "deploy",
          "handover": true,
          "env": {"MODEL_URI": "gs://bucket/model.txt"},
          "predictRequest": "models/demo/request.json"
        }
        """;

    [TestCase("[0,1,0]", true)]
    [TestCase("[]", false)]
    [TestCase("[0.3]", false)]
    [TestCase("{\"predictions\":[1]}", false)]
    [TestCase("not json", false)]
    public void IsPrediction_AcceptsOnlyAListOfZeroesAndOnes(string body, bool expected) =>
        Assert.That(HostDelivery.IsPrediction(body), Is.EqualTo(expected));

    [Test]
    public void Deploy_DryRun_WalksEachVmInThePlansOrder()
    {
        var logged = DryRun(delivery => delivery.Deploy(DeployTestData.Image));
        var vm1 = logged.SkipWhile(l => !l.StartsWith("== Deploy vm1")).TakeWhile(l => !l.StartsWith("== Deploy vm2")).ToList();
        string[] plan =
        [
            "deploy.lock '" + Holder + "*' keep < deploy-lock.sh",      // 1. lock
            "write " + DeployTestData.Paths.DeployBundle("vm1"),        // 2. stage
            "mktemp -d /tmp/purchase_predict_api.XXXXXXXX",
            "scp ",
            "dd 'of=/tmp/purchase_predict_api.<staged>/purchase_predict_api.env' status=none",
            "< same-release.sh",
            "vm1 " + DeployTestData.Image.Reference + " 169.254.169.254 '' 1654 < vm-credentials.sh",   // 3. pull
            "< pull-image.sh",
            "< start-candidate.sh",                                     // 4. prove
            "wait until the candidate on port <candidate-port> on vm1 is ready",
            "purchase_predict_api_candidate 1 < stop-container.sh",
            "< install-release.sh",                                     // 5. install
            "systemctl is-active",                                      // 6. switch
            "docker run --detach --name purchase_predict_api_handover",
            "wait until the handover container on port 8081 on vm1 is ready",
            "systemctl restart purchase_predict_api.service",
            "wait until the service on port 8081 on vm1 is ready",     // 7. verify
            "purchase_predict_api_handover 30 < stop-container.sh",
            "< history-record.sh",                                      // 8. record
            "rm -rf '/tmp/purchase_predict_api.<staged>'",
            "deploy.lock '" + Holder + "*' release < deploy-lock.sh",
        ];
        var positions = plan.Select(step => vm1.FindIndex(line => Matches(line, step))).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), string.Join("\n", vm1));
            Assert.That(positions, Is.Ordered, string.Join("\n", vm1));
        }
    }

    // The rollout lock on the first VM is taken before any VM changes and released after the environment's
    // tag has moved: two rollouts never interleave, and the tag always follows the last one.
    [Test]
    public void Deploy_DryRun_HoldsTheRolloutLockAroundEveryVmAndTheTagsMove()
    {
        var logged = DryRun(delivery => delivery.Deploy(DeployTestData.Image));
        int Index(string pattern) => logged.FindIndex(line => Matches(line, pattern));
        var take = Index("rollout.lock '" + Holder + "*(Deploy of test)' keep < deploy-lock.sh");
        var release = Index("rollout.lock '" + Holder + "*(Deploy of test)' release < deploy-lock.sh");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(take, Is.GreaterThan(Index("'sudo -n -- true'")).And.LessThan(Index("== Deploy vm1")), string.Join("\n", logged));
            Assert.That(Index("tag moves to " + DeployTestData.Image.Reference), Is.GreaterThan(Index("== Deploy vm2")).And.LessThan(release));
            Assert.That(logged.Count(l => l.Contains("rollout.lock")), Is.EqualTo(2), "taken once, released once: on the first VM only");
        }
    }

    [Test]
    public void Deploy_DryRun_ShowsTheRenderedUnit_ButNeverTheEnvFile()
    {
        var logged = string.Join("\n", DryRun(delivery => delivery.Deploy(DeployTestData.Image)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Does.Contain($"ExecStart=/usr/bin/docker run --rm --name purchase_predict_api --env-file /etc/default/purchase_predict_api --network host {DeployTestData.Image.Reference}"));
            Assert.That(logged, Does.Not.Contain("MODEL_URI="));
            Assert.That(logged, Does.Not.Contain("write " + Path.Combine(DeployTestData.Paths.DeployBundle("vm1"), "purchase_predict_api.env")),
                "the env file is never written on the runner");
        }
    }

    [Test]
    public void Deploy_WithForce_DoesNotAskWhetherTheVmAlreadyRunsTheRelease() =>
        Assert.That(DryRun(delivery => delivery.Deploy(DeployTestData.Image), new() { ["force"] = "true" }), Has.None.Contains("same-release.sh"));

    [Test]
    public void Deploy_WithBreakLock_BreaksBothLocks_AndRemovesWhatAKilledDeployLeft()
    {
        var logged = DryRun(delivery => delivery.Deploy(DeployTestData.Image), new() { ["break-lock"] = "true" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged.Count(l => Matches(l, "rollout.lock '*' break")), Is.EqualTo(1));
            Assert.That(logged.Count(l => Matches(l, "deploy.lock '*' break")), Is.EqualTo(2));
            Assert.That(logged, Has.Exactly(2).Contains("< clean-leftovers.sh"));
        }
    }

    [Test]
    public void Rollback_DryRun_StagesAnEarlierReleaseFromTheHistory()
    {
        var logged = DryRun(delivery => delivery.Rollback());
        Assert.That(logged, Has.Some.Contains("'/var/lib/purchase_predict_api/history/<earlier-release>' < stage-from-history.sh"));
    }

    [Test]
    public void Status_DryRun_AsksEveryVm() =>
        Assert.That(DryRun(delivery => delivery.Status()).Count(l => l.Contains("status.sh")), Is.EqualTo(2));

    // A line holds the pattern's parts (split at '*') in order.
    private static bool Matches(string line, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(line, string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)));

    // The holder text names this process, then the time, which the tests match loosely.
    private static string Holder => $"{System.Environment.UserName}@{System.Environment.MachineName} pid {System.Environment.ProcessId} since ";

    private static List<string> DryRun(Action<RollingDelivery> action, Dictionary<string, string>? arguments = null)
    {
        var logged = new List<string>();
        var settings = DeploySettings.From(DeployTestData.SettingsOf(WithHandover, arguments), DeployTestData.Paths);
        var runner = new CommandRunner(logged.Add) { DryRun = true };
        action(new RollingDelivery(settings, new SshConnections(runner), DeployTestData.Paths, runner, logged.Add, reference => logged.Add("tag moves to " + reference)));
        return logged;
    }
}
