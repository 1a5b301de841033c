namespace PurchasePredict.Pipeline.Tests;

// The run's shared ssh connections: where their sockets live, and that nothing is left behind.
public class SshConnectionsTests
{
    private static readonly SshTarget Vm = new("127.0.0.1", "deploy", 2201, "/keys/id_ed25519", "/keys/known_hosts");

    [Test]
    public void Share_PutsTheSocketInADirectoryOnlyThisUserCanEnter_OneSocketPerLogin()
    {
        var runner = new CommandRunner(_ => { });
        string directory;
        using (var connections = new SshConnections(runner))
        {
            var shared = connections.Share(Vm);
            directory = Path.GetDirectoryName(shared.ControlPath)!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(shared with { ControlPath = null }, Is.EqualTo(Vm), "everything else as given");
                Assert.That(Path.GetFileName(shared.ControlPath), Is.EqualTo("%C"), "ssh names each socket after user, host and port");
                Assert.That(File.GetUnixFileMode(directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
                Assert.That(connections.Share(Vm with { Port = 2202 }).ControlPath, Is.EqualTo(shared.ControlPath), "one directory per run");
            }
        }
        Assert.That(Directory.Exists(directory), Is.False, "Dispose deletes it");
    }

    [Test]
    public void Share_InADryRun_CreatesNothing_AndThePlanShowsTheSocket()
    {
        var logged = new List<string>();
        var runner = new CommandRunner(logged.Add) { DryRun = true };
        var before = Directory.GetDirectories(Path.GetTempPath(), "pp-ssh-*");
        using (var connections = new SshConnections(runner))
        {
            Assert.That(connections.Share(Vm).ControlPath, Is.EqualTo(Path.Combine(Path.GetTempPath(), "pp-ssh-XXXXXX") + "/%C"));
        }
        Assert.That(Directory.GetDirectories(Path.GetTempPath(), "pp-ssh-*"), Is.EquivalentTo(before));
    }
}
