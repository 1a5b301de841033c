namespace PurchasePredict.Pipeline.Tests;

public class DeploySettingsTests
{
    [Test]
    public void From_ReadsHostsAndTheSshTarget()
    {
        var settings = DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy), DeployTestData.Paths);
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
            new() { ["ssh-user"] = "ops", ["ssh-port"] = "2222" }), DeployTestData.Paths);
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
    [TestCase("\"registryLogin\": \"gcloud\"", "deploy.registryLogin")]
    [TestCase("\"googleCredentialsFile\": \"key.json\"", "deploy.googleCredentialsFile")]
    [TestCase("\"googleCredentialsFile\": \"/etc/a,b.json\"", "deploy.googleCredentialsFile")]
    [TestCase("\"hosts\": [{\"name\": \"a\", \"address\": \"h\", \"servicePort\": 80, \"metadataServer\": \"http://x\"}]", "hosts[0].metadataServer")]
    [TestCase("\"hosts\": [{\"name\": \"a\", \"address\": \"h\", \"servicePort\": 80, \"metadataServer\": \"h:99999\"}]", "hosts[0].metadataServer")]
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
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(json), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains(expected).And.Message.Contains("ops/environments/test.json"));
    }

    [Test]
    public void From_BadVersionArgument_NamesTheArgument() =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["rollback-version"] = "main;rm" }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("argument --rollback-version"));

    [Test]
    public void EnvFor_TheVmsOwnMetadataServer_WhenItIsNotGces()
    {
        var json = DeployTestData.MinimalDeploy.Replace("\"servicePort\": 8081}", "\"servicePort\": 8081, \"metadataServer\": \"127.0.0.1:9181\"}");
        var settings = DeploySettings.From(DeployTestData.SettingsOf(json), DeployTestData.Paths);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Hosts[0].MetadataServer, Is.EqualTo("127.0.0.1:9181"));
            Assert.That(settings.EnvFor(settings.Hosts[0])["GCE_METADATA_HOST"], Is.EqualTo("127.0.0.1:9181"));
            Assert.That(settings.EnvFor(settings.Hosts[1]).ContainsKey("GCE_METADATA_HOST"), Is.False, "a GCE VM's libraries find 169.254.169.254 themselves");
            Assert.That(VmCredentials.MetadataServerFor(settings.Hosts[1]), Is.EqualTo("169.254.169.254"));
            Assert.That(settings.RegistryLogin, Is.EqualTo(RegistryLogin.VmServiceAccount));
        }
    }

    [Test]
    public void EnvFor_AKeyFile_IsTheOnlyCredential_AsOnAServerOutsideTheProject()
    {
        var json = DeployTestData.MinimalDeploy.Replace("\"servicePort\": 8081}", "\"servicePort\": 8081, \"metadataServer\": \"127.0.0.1:9181\"}");
        var settings = DeploySettings.From(DeployTestData.SettingsOf(json, new() { ["google-credentials-file"] = "/etc/pp/key.json" }), DeployTestData.Paths);
        var env = settings.EnvFor(settings.Hosts[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(env["GOOGLE_APPLICATION_CREDENTIALS"], Is.EqualTo("/run/secrets/google-credentials.json"));
            Assert.That(env.ContainsKey("GCE_METADATA_HOST"), Is.False);
            Assert.That(settings.EnvFiles["vm1"].Value, Does.Not.Contain("/etc/pp/key.json"), "the container sees the mount, not the VM's path");
        }
    }

    [TestCase("{\"MODEL_URI\": \"gs://b/m.txt\"}", null)]
    [TestCase("{\"MLFLOW_SERVER\": \"http://m:5000\", \"MLFLOW_REGISTRY_NAME\": \"p\", \"ENV\": \"staging\"}", null)]
    [TestCase("{\"MLFLOW_SERVER\": \"http://m:5000\", \"ENV\": \"staging\"}", "missing: MLFLOW_REGISTRY_NAME")]
    [TestCase("{\"WORKERS\": \"2\"}", "missing: MLFLOW_SERVER, MLFLOW_REGISTRY_NAME, ENV")]
    public void From_AnEnvThatNamesNoModel_FailsBeforeAnyVmIsContacted(string env, string? expected)
    {
        var json = DeployTestData.MinimalDeploy.Replace("{\"MODEL_URI\": \"gs://bucket/model.txt\"}", env);
        var from = () => DeploySettings.From(DeployTestData.SettingsOf(json), DeployTestData.Paths);
        if (expected is null)
        {
            Assert.That(from, Throws.Nothing);
        }
        else
        {
            Assert.That(from, Throws.TypeOf<SettingsException>().With.Message.Contains("names no model").And.Message.Contains(expected));
        }
    }
}
