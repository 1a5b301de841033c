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
        }
    }

    [Test]
    public void KnownHosts_PinsTheHostKeyForEachVm() =>
        Assert.That(SandboxVmFiles.KnownHosts(null, [("127.0.0.1", 2201), ("127.0.0.1", 2202)], "ssh-ed25519 AAAAC3 comment here\n"),
            Is.EqualTo("[127.0.0.1]:2201 ssh-ed25519 AAAAC3\n[127.0.0.1]:2202 ssh-ed25519 AAAAC3\n"));

    // A Deploy to pp-vm1 alone once made pp-vm2 unreachable ("Host key verification failed") for the next
    // run that skipped SandboxVms: the file held only the VMs of the last run.
    [Test]
    public void KnownHosts_KeepsTheOtherVmsLines_DropsLinesOfAnOldKey() =>
        Assert.That(SandboxVmFiles.KnownHosts(
                "[127.0.0.1]:2201 ssh-ed25519 AAAAC3\n[127.0.0.1]:2202 ssh-ed25519 AAAAC3\n[127.0.0.1]:2203 ssh-ed25519 OLDKEY\n",
                [("127.0.0.1", 2201)], "ssh-ed25519 AAAAC3 comment"),
            Is.EqualTo("[127.0.0.1]:2202 ssh-ed25519 AAAAC3\n[127.0.0.1]:2201 ssh-ed25519 AAAAC3\n"));
}
