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
    [TestCase("\"hosts\": [{\"name\": \"a\", \"address\": \"-oProxyCommand=x\", \"servicePort\": 80}]", "is not a host name or an IP address")]
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

    // A host's name reaches its unit (a newline there added [Service] lines that ran as root), a local
    // folder and messages; its address, ssh's command line. Both are refused in Setup, before any VM.
    [TestCase("pp-vm1\n[Service]\nExecStartPre=/usr/bin/touch /tmp/pwned", "hosts[0].name \"pp-vm1\\n[Service]\\nExecStartPre=/usr/bin/touch /tmp/pwned\" is not a DNS label")]
    [TestCase("../vm", "hosts[0].name \"../vm\" is not a DNS label")]
    [TestCase("a/b", "is not a DNS label")]
    [TestCase("PP-VM1", "is not a DNS label")]
    [TestCase("-vm", "is not a DNS label")]
    [TestCase("vm_1", "is not a DNS label")]
    [TestCase("pp-vm1\n", "is not a DNS label")]
    public void From_HostNameThatIsNoDnsLabel_FailsNamingTheSettingValueAndSource(string name, string expected)
    {
        var hosts = System.Text.Json.JsonSerializer.Serialize(new[] { new { name, address = "127.0.0.1", sshPort = 2201, servicePort = 8081 } });
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["hosts"] = hosts }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'deploy.hosts' = '").And.Message.Contains("(from argument --hosts)").And.Message.Contains(expected));
    }

    [TestCase("a")]
    [TestCase("pp-vm1")]
    [TestCase("0")]
    [TestCase("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh")]
    public void From_DnsLabels_AreHostNames(string name)
    {
        var hosts = System.Text.Json.JsonSerializer.Serialize(new[] { new { name, address = "127.0.0.1", servicePort = 8081 } });
        Assert.That(DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["hosts"] = hosts }), DeployTestData.Paths).Hosts[0].Name, Is.EqualTo(name));
    }

    [Test]
    public void From_HostNameOf64Characters_IsTooLong()
    {
        var hosts = System.Text.Json.JsonSerializer.Serialize(new[] { new { name = new string('a', 64), address = "h", servicePort = 8081 } });
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["hosts"] = hosts }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("is not a DNS label"));
    }

    [TestCase("docker.europe-west1-b.c.my-gcp-project.internal", true)]
    [TestCase("127.0.0.1", true)]
    [TestCase("::1", true)]
    [TestCase("fe80::1%eth0", true)]
    [TestCase("my_vm", true)]
    [TestCase("-oProxyCommand=x", false)]
    [TestCase("host name", false)]
    [TestCase("host\nname", false)]
    [TestCase("host;rm", false)]
    [TestCase("a..b", false)]
    [TestCase("127.0.0.1\n", false)]
    public void From_Address_IsAHostNameOrAnIpAddress(string address, bool valid)
    {
        var hosts = System.Text.Json.JsonSerializer.Serialize(new[] { new { name = "vm", address, servicePort = 8081 } });
        var settings = DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["hosts"] = hosts });
        if (valid)
        {
            Assert.That(DeploySettings.From(settings, DeployTestData.Paths).Hosts[0].Address, Is.EqualTo(address));
        }
        else
        {
            Assert.That(() => DeploySettings.From(settings, DeployTestData.Paths),
                Throws.TypeOf<SettingsException>().With.Message.Contains("is not a host name or an IP address"));
        }
    }

    [TestCase("-oProxyCommand=x")]
    [TestCase("de ploy")]
    [TestCase("deploy\n")]
    [TestCase("abcdefghijabcdefghijabcdefghijabc")]
    public void From_SshUserThatIsNoUserName_FailsNamingTheArgument(string user) =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["ssh-user"] = user }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("(from argument --ssh-user): not a user name"));

    [Test]
    public void From_KnownHostsPathWithASpace_IsRefused_SshWouldSplitIt() =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["ssh-known-hosts"] = "/my keys/known_hosts" }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("(from argument --ssh-known-hosts): a path for ssh can't hold spaces"));

    [TestCase(null, 0)]
    [TestCase("", 600)]
    [TestCase("45", 45)]
    public void From_LockWait_BareMeans600Seconds(string? argument, int seconds)
    {
        var arguments = argument is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["lock-wait"] = argument };
        Assert.That(DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, arguments), DeployTestData.Paths).LockWaitSeconds, Is.EqualTo(seconds));
    }

    [Test]
    public void From_NegativeLockWait_NamesTheArgument() =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["lock-wait"] = "-1" }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("Setting 'deploy.lockWaitSeconds' = '-1' (from argument --lock-wait)"));

    [Test]
    public void From_HandoverWithASingleWorker_IsRefused_NothingWouldShareThePort() =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy.Replace("\"env\": {", "\"handover\": true, \"env\": {\"WORKERS\": \"1\", ")), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("deploy.handover").And.Message.Contains("WORKERS"));

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
