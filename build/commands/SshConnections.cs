#nullable enable
using System.Linq;

// One ssh connection per VM for the whole run, which every ssh and scp of the run to that VM goes through
// (OpenSSH's connection sharing, which Ansible turns on by default): a delivery sends a VM about 25
// commands, and each new connection costs a key exchange, a login and, on a systemd VM, a login session.
// The sockets are in a directory only this run can enter (mkdtemp, 0700: whoever reaches a socket is
// logged in to the VM). Dispose, in Cake's Teardown, closes the connections and deletes the directory.
public sealed class SshConnections(CommandRunner runner) : IDisposable
{
    // How long a connection outlives its last command when nothing closes it (a killed run).
    public const int IdleSeconds = 30;

    private readonly List<SshTarget> _shared = [];
    private string? _directory;

    // The target, reached through the run's shared connection to it.
    public SshTarget Share(SshTarget target)
    {
        // A dry run creates nothing; its plan shows where the socket would be (XXXXXX: random, as mkdtemp makes it).
        _directory ??= runner.DryRun ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pp-ssh-XXXXXX")
            : System.IO.Directory.CreateTempSubdirectory("pp-ssh-").FullName;
        // %C: a hash of the user, host and port, so each VM (and each login to it) has its own socket.
        var shared = target with { ControlPath = _directory + "/%C" };
        lock (_shared)
        {
            if (!_shared.Contains(shared)) _shared.Add(shared);
        }
        return shared;
    }

    public void Dispose()
    {
        if (_directory is null || runner.DryRun)
        {
            return;
        }
        // No socket: no connection is open (none was made, or each has closed after its idle time).
        if (System.IO.Directory.Exists(_directory) && System.IO.Directory.EnumerateFileSystemEntries(_directory).Any())
        {
            lock (_shared)
            {
                foreach (var target in _shared)
                {
                    // A target whose connection is gone makes ssh say so and exit 255: nothing to do.
                    runner.TryRun(Ssh.CloseShared(target), quiet: true, timeout: TimeSpan.FromSeconds(10));
                }
            }
        }
        runner.DeleteDirectory(_directory);
    }
}
