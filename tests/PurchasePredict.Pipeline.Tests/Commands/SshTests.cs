namespace PurchasePredict.Pipeline.Tests;

// Golden strings: how every remote command reaches a VM.
public class SshTests
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
    public void Ssh_Run_ForwardsAScriptOnStandardInput() =>
        Assert.That(Ssh.Run(new SshTarget("docker"), RemoteScript.Of("/r/build/remote/pull-image.sh", "img@sha256:1")).ToString(),
            Is.EqualTo("ssh -o BatchMode=yes -o ConnectTimeout=10 docker 'sh -s -- img@sha256:1' < pull-image.sh"));

    [Test]
    public void Ssh_Run_ThroughASharedConnection_OpensItOrReusesIt_AndLetsItOutliveTheCommand() =>
        Assert.That(Ssh.Run(new SshTarget("vm", ControlPath: "/tmp/pp-ssh-1/%C"), ShellCommand.Of("true")).ToString(), Is.EqualTo(
            "ssh -o BatchMode=yes -o ConnectTimeout=10 -o ControlMaster=auto -o ControlPath=/tmp/pp-ssh-1/%C -o ControlPersist=30 vm true"));

    [Test]
    public void Ssh_CloseShared_AsksTheConnectionToExit() =>
        Assert.That(Ssh.CloseShared(new SshTarget("127.0.0.1", "deploy", 2201, ControlPath: "/tmp/pp-ssh-1/%C")).ToString(), Is.EqualTo(
            "ssh -o BatchMode=yes -o ConnectTimeout=10 -p 2201 -o ControlMaster=auto -o ControlPath=/tmp/pp-ssh-1/%C -o ControlPersist=30 -O exit deploy@127.0.0.1"));

    [Test]
    public void Scp_Upload_UsesTheSharedConnectionToo() =>
        Assert.That(Scp.Upload(new SshTarget("vm", ControlPath: "/tmp/pp-ssh-1/%C"), ["f"], "/tmp").ToString(),
            Does.Contain("-o ControlPath=/tmp/pp-ssh-1/%C"));

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
}
