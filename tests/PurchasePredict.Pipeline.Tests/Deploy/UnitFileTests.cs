namespace PurchasePredict.Pipeline.Tests;

// The systemd unit Deploy writes, pinned as text.
public class UnitFileTests
{
    private static DeploySettings Settings(string network = "host") =>
        DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy.Replace("\"sshUser\"", $"\"network\": \"{network}\", \"sshUser\"")), DeployTestData.Paths);

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
            Assert.That(lines, Has.None.StartsWith("EnvironmentFile="), "the app's variables reach only the container");
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
    public void Unit_WithAKeyFileOnTheVm_MountsItReadOnly_NeverCopiesIt()
    {
        var settings = DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy,
            new() { ["google-credentials-file"] = "/etc/purchase_predict_api/google-credentials.json" }), DeployTestData.Paths);
        var unit = UnitFile.Render(DeployTestData.UnitTemplate, settings, settings.Hosts[0], DeployTestData.Image);
        Assert.That(unit.Split('\n'), Does.Contain("ExecStart=/usr/bin/docker run --rm --name purchase_predict_api --env-file /etc/default/purchase_predict_api --network host " +
            $"--mount type=bind,source=/etc/purchase_predict_api/google-credentials.json,target=/run/secrets/google-credentials.json,readonly {DeployTestData.Image.Reference}"));
    }

    // The limit is the pipeline's setting, on the unit's command line: the unit never reads the app's env file.
    [Test]
    public void Unit_WithAMemoryLimit_GivesTheContainerThatMuchAndNoSwap()
    {
        var settings = DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["memory-limit"] = "288m" }), DeployTestData.Paths);
        var unit = UnitFile.Render(DeployTestData.UnitTemplate, settings, settings.Hosts[0], DeployTestData.Image);
        Assert.That(unit.Split('\n'), Does.Contain("ExecStart=/usr/bin/docker run --rm --name purchase_predict_api --env-file /etc/default/purchase_predict_api --network host " +
            $"--memory 288m --memory-swap 288m {DeployTestData.Image.Reference}"));
    }

    [TestCase("288")]
    [TestCase("1.5g")]
    [TestCase("-m")]
    [TestCase("288m --privileged")]
    public void MemoryLimit_NotASizeWithItsUnit_FailsNamingTheSetting(string value) =>
        Assert.That(() => DeploySettings.From(DeployTestData.SettingsOf(DeployTestData.MinimalDeploy, new() { ["memory-limit"] = value }), DeployTestData.Paths),
            Throws.TypeOf<SettingsException>().With.Message.Contains("memoryLimit").Or.Message.Contains("memory-limit"));

    [Test]
    public void Unit_UnknownPlaceholder_FailsNamingIt()
    {
        var settings = Settings();
        Assert.That(() => UnitFile.Render("X={{NOPE}}", settings, settings.Hosts[0], DeployTestData.Image),
            Throws.TypeOf<SettingsException>().With.Message.Contains("{{NOPE}}"));
    }
}
