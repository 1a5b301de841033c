namespace PurchasePredict.Pipeline.Tests;

public class DeploySettingsTests
{
    [Test]
    public void From_ReadsHostsAndTheSshTarget()
    {
        var settings = DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy), DeployTestData.Root);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Hosts, Is.EqualTo(new[]
            {
                new DeployHost("vm1", "127.0.0.1", 2201, 8081),
                new DeployHost("vm2", "127.0.0.1", 2202, 8082),
            }));
            Assert.That(settings.TargetFor(settings.Hosts[1]).ToString(), Is.EqualTo("deploy@127.0.0.1:2202"));
            Assert.That(settings.Network, Is.EqualTo(ContainerNetwork.Host));
            Assert.That(settings.Sandbox, Is.Null);
        }
    }

    [Test]
    public void From_SshArguments_WinOverTheFile()
    {
        var twoMachines = DeployTestData.MinimalDeploy.Replace("\"address\": \"127.0.0.1\", \"sshPort\": 2202", "\"address\": \"127.0.0.2\", \"sshPort\": 2202");
        var settings = DeploySettings.From(DeployTestData.SettingsOf(twoMachines,
            new() { ["ssh-user"] = "ops", ["ssh-port"] = "2222" }), DeployTestData.Root);
        Assert.That(settings.Hosts.Select(h => settings.TargetFor(h).ToString()),
            Is.EqualTo(new[] { "ops@127.0.0.1:2222", "ops@127.0.0.2:2222" }));
    }

    [TestCase("\"hosts\": []", "deploy.hosts")]
    [TestCase("\"hosts\": [{\"name\": \"a\", \"address\": \"-oProxyCommand=x\", \"servicePort\": 80}]", "not a host name")]
    [TestCase("\"hosts\": [{\"name\": \"a\", \"address\": \"h\"}]", "servicePort is missing")]
    [TestCase("\"hosts\": [{\"name\": \"a\", \"address\": \"h\", \"servicePort\": 80}, {\"name\": \"a\", \"address\": \"i\", \"servicePort\": 80}]", "appears twice")]
    [TestCase("\"network\": \"bridge\"", "deploy.network")]
    [TestCase("\"network\": \"publish\", \"handover\": true", "deploy.handover")]
    [TestCase("\"gracefulTimeoutSeconds\": 0", "deploy.gracefulTimeoutSeconds")]
    [TestCase("\"predictRequest\": \"nope.json\"", "does not exist")]
    public void From_BadSetting_FailsNamingTheSettingAndItsSource(string replacement, string expected)
    {
        var key = replacement.Split(':')[0];
        var json = System.Text.RegularExpressions.Regex.Replace(DeployTestData.MinimalDeploy, "^\\{", "{" + replacement + ",");
        // Later keys win in JsonElement lookups only if the original is gone: drop it.
        json = key switch
        {
            "\"hosts\"" => json.Replace(DeployTestData.MinimalDeploy[1..DeployTestData.MinimalDeploy.IndexOf("\"sshUser\"", StringComparison.Ordinal)], "\n"),
            "\"predictRequest\"" => json.Replace(",\n  \"predictRequest\": \"models/demo/request.json\"", ""),
            _ => json,
        };
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(json), DeployTestData.Root),
            Throws.TypeOf<SettingsException>().With.Message.Contains(expected).And.Message.Contains("ops/environments/test.json"));
    }

    [Test]
    public void From_BadVersionArgument_NamesTheArgument() =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["rollback-version"] = "main;rm" }), DeployTestData.Root),
            Throws.TypeOf<SettingsException>().With.Message.Contains("argument --rollback-version"));

    [Test]
    public void History_RollbackTarget_IsTheNewestOtherImage_OrTheGivenCommit()
    {
        var entries = DeployHistory.Parse("""
            20260101T000000Z-aaaaaaa aaaaaaa1 img@sha256:1
            20260102T000000Z-bbbbbbb bbbbbbb2 img@sha256:2
            20260103T000000Z-ccccccc ccccccc3 img@sha256:3
            20260104T000000Z-ccccccc ccccccc3 img@sha256:3
            """);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DeployHistory.RollbackTarget(entries, null)!.Commit, Is.EqualTo("bbbbbbb2"));
            Assert.That(DeployHistory.RollbackTarget(entries, "aaaa")!.Commit, Is.EqualTo("aaaaaaa1"));
            Assert.That(DeployHistory.RollbackTarget(entries, "dddd"), Is.Null);
            Assert.That(DeployHistory.RollbackTarget([], null), Is.Null);
        }
    }

    [Test]
    public void History_EntryNames_SortByTime() =>
        Assert.That(DeployHistory.EntryName(new DateTime(2026, 11, 25, 14, 5, 9, DateTimeKind.Utc), "0123456789abcdef"),
            Is.EqualTo("20261125T140509Z-0123456789ab"));

    [TestCase("[0,1,0]", true)]
    [TestCase("[]", false)]
    [TestCase("[0.3]", false)]
    [TestCase("{\"predictions\":[1]}", false)]
    [TestCase("not json", false)]
    public void HealthCheck_AcceptsOnlyAListOfZeroesAndOnes(string body, bool expected) =>
        Assert.That(HealthCheck.IsPrediction(body), Is.EqualTo(expected));

    [Test]
    public void DeployImage_ReadsTheDigestAndCommitPushWrote()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $$"""{"image": "127.0.0.1:5000/p/purchase_predict_api:0123456", "digest": "sha256:{{new string('b', 64)}}", "commit": "0123456789abcdef0123456789abcdef01234567"}""");
            Assert.That(DeployImage.Read(path).Reference, Is.EqualTo("127.0.0.1:5000/p/purchase_predict_api@sha256:" + new string('b', 64)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
