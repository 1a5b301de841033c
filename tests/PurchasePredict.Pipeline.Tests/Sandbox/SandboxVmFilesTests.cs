namespace PurchasePredict.Pipeline.Tests;

public class SandboxVmFilesTests
{
    [Test]
    public void SandboxVmFiles_GiveEachEngineItsOwnRuntimePaths()
    {
        var vm1 = SandboxVmFiles.DaemonJson("pp-vm1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(System.Text.Json.JsonDocument.Parse(vm1).RootElement.GetProperty("exec-root").GetString(), Is.EqualTo("/run/docker-pp-vm1"));
            Assert.That(vm1, Does.Contain("\"bridge\": \"none\"").And.Contain("\"iptables\": false").And.Contain("\"ip-masq\": false"));
            Assert.That(SandboxVmFiles.DaemonJson("pp-vm2"), Does.Contain("/pp-vm2-docker"));
            Assert.That(SandboxVmFiles.SshdPort(2202), Is.EqualTo("Port 2202\n"));
            Assert.That(SandboxVmFiles.KnownHostsLine("127.0.0.1", 2201, "ssh-ed25519 AAAAC3 comment here\n"),
                Is.EqualTo("[127.0.0.1]:2201 ssh-ed25519 AAAAC3\n"));
        }
    }
}
