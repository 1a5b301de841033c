namespace PurchasePredict.Pipeline.Tests;

// The unit and env file Deploy writes, pinned as text.
public class DeployRenderingTests
{
    private static DeploySettings Settings(string network = "host") =>
        DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy.Replace("\"sshUser\"", $"\"network\": \"{network}\", \"sshUser\"")), DeployTestData.Root);

    [Test]
    public void Unit_HostNetwork_RunsTheImageByDigestWithoutPortMapping()
    {
        var settings = Settings();
        var unit = UnitFile.Render(DeployTestData.UnitTemplate, settings, settings.Hosts[0], DeployTestData.Image);
        var image = DeployTestData.Image.Reference;
        var lines = unit.Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Does.Contain("Requires=docker.service"));
            Assert.That(lines, Does.Contain("After=docker.service network-online.target"));
            Assert.That(lines, Does.Contain("EnvironmentFile=/etc/default/purchase_predict_api"));
            Assert.That(lines, Does.Contain($"ExecStartPre=/bin/sh -c 'docker image inspect {image} >/dev/null 2>&1 || docker pull {image}'"));
            Assert.That(lines, Does.Contain("ExecStartPre=-/usr/bin/docker rm --force purchase_predict_api"));
            Assert.That(lines, Does.Contain($"ExecStart=/usr/bin/docker run --rm --name purchase_predict_api --env-file /etc/default/purchase_predict_api --network host {image}"));
            Assert.That(lines, Does.Contain("ExecStop=/usr/bin/docker stop --time 30 purchase_predict_api"));
            Assert.That(lines, Does.Contain("TimeoutStopSec=45"));
            Assert.That(lines, Does.Contain("Restart=always"));
            Assert.That(lines, Does.Contain("WantedBy=multi-user.target"));
            Assert.That(unit, Does.Not.Contain("{{"));
        }
    }

    [Test]
    public void Unit_Publish_MapsTheServicePortToTheContainerPortLikeTheTutorial()
    {
        var settings = Settings("publish");
        var unit = UnitFile.Render(DeployTestData.UnitTemplate, settings, settings.Hosts[1], DeployTestData.Image);
        Assert.That(unit, Does.Contain("--env-file /etc/default/purchase_predict_api --publish 8082:8080 127.0.0.1:5000/"));
    }

    [Test]
    public void Unit_UnknownPlaceholder_FailsNamingIt()
    {
        var settings = Settings();
        Assert.That(() => UnitFile.Render("X={{NOPE}}", settings, settings.Hosts[0], DeployTestData.Image),
            Throws.TypeOf<SettingsException>().With.Message.Contains("{{NOPE}}"));
    }

    [Test]
    public void EnvFile_RendersSettingsSecretsAndDefaults_SkippingEmptyOptionalValues()
    {
        var text = EnvFile.Render(DeployTestData.EnvTemplate,
            new Dictionary<string, string> { ["MODEL_URI"] = "gs://b/m.txt", ["PORT"] = "8081", ["EXTRA"] = "x" },
            new Dictionary<string, Secret> { ["API_KEY"] = new("s3cret"), ["WORKERS"] = new("2") }).Value;
        Assert.That(text, Is.EqualTo(
            "# Written by Deploy from ops/purchase_predict_api.env; changes here are lost at the next deploy.\n" +
            "MODEL_URI=gs://b/m.txt\n" +
            "PORT=8081\n" +
            "WORKERS=2\n" +
            "GRACEFUL_TIMEOUT=30\n" +
            "API_KEY=s3cret\n" +
            "EXTRA=x\n"));
    }

    [Test]
    public void EnvFile_RenderedValue_IsASecret() =>
        Assert.That(EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string> { ["MODEL_URI"] = "m" },
            new Dictionary<string, Secret>()).ToString(), Is.EqualTo("***"));

    [Test]
    public void EnvFile_MissingRequiredVariable_FailsNamingIt()
    {
        Assert.That(() => EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string>(), new Dictionary<string, Secret>()),
            Throws.TypeOf<SettingsException>().With.Message.Contains("MODEL_URI"));
    }

    [Test]
    public void EnvFile_MultiLineSecret_FailsWithoutShowingIt() =>
        Assert.That(() => EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string> { ["MODEL_URI"] = "m" },
                new Dictionary<string, Secret> { ["KEY"] = new("line1\nline2") }),
            Throws.TypeOf<SettingsException>().With.Message.Contains("KEY").And.Message.Not.Contains("line1"));

    [Test]
    public void SecretsFile_ReadsNameValueLines_AndRedactsTheValues()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nAPI_KEY=abc=def\n\nTOKEN=t0k\n");
            var secrets = SecretsFile.Read(path);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(secrets["API_KEY"].Value, Is.EqualTo("abc=def"));
                Assert.That(SecretsFile.Redact("key abc=def and t0k", secrets.Values), Is.EqualTo("key *** and ***"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SecretsFile_BadLine_NamesTheLineNotTheValue()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "GOOD=1\nhunter2\n");
            Assert.That(() => SecretsFile.Read(path),
                Throws.TypeOf<SettingsException>().With.Message.Contains("line 2").And.Message.Not.Contains("hunter2"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
