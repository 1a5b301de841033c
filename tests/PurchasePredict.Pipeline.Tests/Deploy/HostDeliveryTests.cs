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
            "< deploy-lock.sh",                                         // 1. lock
            "< history-list.sh",
            "write " + DeployTestData.Paths.DeployBundle("vm1"),        // 2. stage
            "mktemp -d /tmp/purchase_predict_api.XXXXXXXX",
            "scp ",
            "vm1 " + DeployTestData.Image.Reference + " 169.254.169.254 '' 1654 < vm-credentials.sh",   // 3. pull
            "< pull-image.sh",
            "< install-release.sh",                                     // 4. install
            "systemctl is-active",                                      // 5. switch
            "docker run --detach --name purchase_predict_api_handover",
            "wait until purchase_predict_api_handover listens on 8081",
            "systemctl restart purchase_predict_api.service",
            "wait until vm1 runs " + DeployTestData.Image.Reference,    // 6. verify
            "wait until purchase_predict_api listens on 8081",
            "purchase_predict_api_handover 30 < stop-container.sh",
            "< history-record.sh",                                      // 7. record
            "rm -rf '/tmp/purchase_predict_api.<staged>'",
            "rm -rf /var/lib/purchase_predict_api/deploy.lock",
        ];
        var positions = plan.Select(step => vm1.FindIndex(line => line.Contains(step))).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), string.Join("\n", vm1));
            Assert.That(positions, Is.Ordered, string.Join("\n", vm1));
        }
    }

    [Test]
    public void Deploy_DryRun_ShowsTheRenderedUnit_ButNeverTheEnvFile()
    {
        var logged = string.Join("\n", DryRun(delivery => delivery.Deploy(DeployTestData.Image)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Does.Contain($"ExecStart=/usr/bin/docker run --rm --name purchase_predict_api --env-file /etc/default/purchase_predict_api --network host {DeployTestData.Image.Reference}"));
            Assert.That(logged, Does.Contain("purchase_predict_api.env (0600: it holds secrets)"));
            Assert.That(logged, Does.Not.Contain("MODEL_URI="));
        }
    }

    [Test]
    public void Rollback_DryRun_StagesAnEarlierReleaseFromTheHistory()
    {
        var logged = DryRun(delivery => delivery.Rollback());
        Assert.That(logged, Has.Some.Contains("/var/lib/purchase_predict_api/history/<earlier-release>' < stage-from-history.sh"));
    }

    [Test]
    public void Status_DryRun_AsksEveryVm() =>
        Assert.That(DryRun(delivery => delivery.Status()).Count(l => l.Contains("status.sh")), Is.EqualTo(2));

    private static List<string> DryRun(Action<RollingDelivery> action)
    {
        var logged = new List<string>();
        var settings = DeploySettings.From(DeployTestData.SettingsOf(WithHandover), DeployTestData.Paths);
        action(new RollingDelivery(settings, DeployTestData.Paths, new CommandRunner(logged.Add) { DryRun = true }, logged.Add));
        return logged;
    }
}
