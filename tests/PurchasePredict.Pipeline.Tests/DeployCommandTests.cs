namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the exact command lines Deploy runs, without any VM.
public class DeployCommandTests
{
    private static readonly SshTarget Vm = new("127.0.0.1", "deploy", 2201, "/keys/id_ed25519", "/keys/known_hosts");

    [Test]
    public void Ssh_Run_QuotesTheRemoteCommandOnce() =>
        Assert.That(Ssh.Run(Vm, ShellCommand.Of("echo", "it's here")).ToString(), Is.EqualTo(
            "ssh -o BatchMode=yes -o ConnectTimeout=10 -p 2201 -i /keys/id_ed25519 -o IdentitiesOnly=yes " +
            "-o UserKnownHostsFile=/keys/known_hosts -o StrictHostKeyChecking=yes deploy@127.0.0.1 " +
            "'echo '\\''it'\\''\\'\\'''\\''s here'\\'''"));

    [Test]
    public void Ssh_Run_WithNothingSet_LeavesEverythingToTheUsersSshConfig() =>
        Assert.That(Ssh.Run(new SshTarget("docker"), ShellCommand.Of("true")).ToString(),
            Is.EqualTo("ssh -o BatchMode=yes -o ConnectTimeout=10 docker true"));

    [Test]
    public void Scp_Upload_UsesCapitalPForThePort() =>
        Assert.That(Scp.Upload(Vm, ["a.service", "b.env"], "/tmp/stage").ToString(), Is.EqualTo(
            "scp -o BatchMode=yes -o ConnectTimeout=10 -P 2201 -i /keys/id_ed25519 -o IdentitiesOnly=yes " +
            "-o UserKnownHostsFile=/keys/known_hosts -o StrictHostKeyChecking=yes -q a.service b.env deploy@127.0.0.1:/tmp/stage/"));

    [Test]
    public void Scp_Upload_BracketsAnIpv6Address() =>
        Assert.That(Scp.Upload(new SshTarget("::1", "root"), ["f"], "/tmp").ToString(),
            Does.EndWith("'root@[::1]:/tmp/'"));

    [Test]
    public void Scp_Upload_WithoutFiles_Refuses() =>
        Assert.That(() => Scp.Upload(Vm, [], "/tmp"), Throws.ArgumentException);

    [TestCase("deploy", "sudo -n -- systemctl restart purchase_predict_api.service")]
    [TestCase(null, "sudo -n -- systemctl restart purchase_predict_api.service")]
    [TestCase("root", "systemctl restart purchase_predict_api.service")]
    public void Sudo_AsRoot_OnlyWhenTheLoginUserIsNotRoot(string? user, string expected) =>
        Assert.That(Sudo.AsRoot(user, Systemctl.Restart("purchase_predict_api.service")).ToString(), Is.EqualTo(expected));

    [Test]
    public void Sudo_AsRoot_RefusesSecrets() =>
        Assert.That(() => Sudo.AsRoot("deploy", ShellCommand.Of("echo", new Secret("s3cret"))),
            Throws.InvalidOperationException.With.Message.Not.Contains("s3cret"));

    [Test]
    public void Systemctl_And_Journalctl_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Systemctl.DaemonReload().ToString(), Is.EqualTo("systemctl daemon-reload"));
            Assert.That(Systemctl.Enable("u.service").ToString(), Is.EqualTo("systemctl enable --quiet u.service"));
            Assert.That(Systemctl.Show("u.service", "ActiveState", "NRestarts").ToString(),
                Is.EqualTo("systemctl show u.service --property=ActiveState,NRestarts"));
            Assert.That(Systemctl.Verify("/etc/systemd/system/u.service").ToString(),
                Is.EqualTo("systemd-analyze verify /etc/systemd/system/u.service"));
            Assert.That(Journalctl.Tail("u.service", 100).ToString(),
                Is.EqualTo("journalctl --unit u.service --lines 100 --no-pager --output short-iso"));
        }
    }

    [Test]
    public void Curl_PostJsonFile_FailsOnHttpErrorsAndTimesOut() =>
        Assert.That(Curl.PostJsonFile("http://127.0.0.1:8081/predict", "/var/lib/x/request.json").ToString(), Is.EqualTo(
            "curl --silent --show-error --fail --max-time 10 --header 'Content-Type: application/json' " +
            "--data-binary @/var/lib/x/request.json http://127.0.0.1:8081/predict"));

    [Test]
    public void RemoteScript_PassesArgumentsPositionally_NeverInsideTheScript() =>
        Assert.That(RemoteScript.Of("echo \"$1\"", "a b; rm -rf /").ToShellLine(),
            Is.EqualTo("sh -c 'echo \"$1\"' sh 'a b; rm -rf /'"));

    [Test]
    public void RemoteScript_Sequence_StopsAtTheFirstFailure() =>
        Assert.That(Installation.RestartCommand().ToShellLine(), Is.EqualTo(
            "sh -c 'systemctl daemon-reload && systemctl enable --quiet purchase_predict_api.service && " +
            "systemctl restart purchase_predict_api.service && systemctl show purchase_predict_api.service --property=NRestarts --value' sh"));

    [Test]
    public void DeployLock_Acquire_NamesTheHolderAndCanBreakAStaleLock()
    {
        var line = DeployLock.AcquireCommand("ci@runner pid 7 since 2026-01-01T00:00:00Z", breakLock: true).ToShellLine();
        Assert.That(line, Does.EndWith("sh /var/lib/purchase_predict_api/deploy.lock 'ci@runner pid 7 since 2026-01-01T00:00:00Z' break"));
    }

    [Test]
    public void VmContainer_Run_UsesTheSystemdRecipeOnTheHostNetwork()
    {
        var line = VmContainer.Run("pp-vm1", "img:1", "img:1 /a/ssh", "/a/vms/pp-vm1", "/a/ssh").ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line, Does.StartWith("docker run --detach --name pp-vm1 --label 'purchase-predict.sandbox-vm=img:1 /a/ssh' --network host --cgroupns host"));
            Assert.That(line, Does.Contain("--volume pp-vm1-docker:/var/lib/docker"));
            Assert.That(line, Does.Contain("--tmpfs /run --tmpfs /run/lock"));
            Assert.That(line, Does.Not.Contain("--privileged"));
            Assert.That(line, Does.EndWith("--volume /a/ssh/id_ed25519.pub:/home/deploy/.ssh/authorized_keys:ro img:1"));
        }
    }

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

    [Test]
    public void Handover_StartsTheNewReleaseOnTheSharedPortWithTheInstalledEnvFile() =>
        Assert.That(Handover.StartCommand("img@sha256:1").ToString(), Is.EqualTo(
            "docker run --detach --name purchase_predict_api_handover --env-file /etc/default/purchase_predict_api --network host img@sha256:1"));

    [Test]
    public void Handover_Listening_LooksForTheContainersOwnSocketOnTheHexPort()
    {
        var arguments = Handover.ListeningCommand("purchase_predict_api", 8081).ArgumentValues();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(arguments[1], Does.Contain("/proc/net/tcp /proc/net/tcp6").And.Contains("printf ':%04X'"));
            Assert.That(arguments.Skip(2), Is.EqualTo(new[] { "sh", "purchase_predict_api", "8081" }));
        }
    }
}
