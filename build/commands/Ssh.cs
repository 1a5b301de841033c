#nullable enable
using System.Linq;

// Where and how to reach a VM with OpenSSH. Whatever is left null falls back to the user's
// ssh config, agent and keys, so ~/.ssh/config, ProxyJump and agents keep working. ControlPath: the
// socket of a connection the run's commands share (SshConnections).
public sealed record SshTarget(
    string Address,
    string? User = null,
    int? Port = null,
    string? KeyFile = null,
    string? KnownHostsFile = null,
    string? ControlPath = null)
{
    // user@address:port, for messages.
    public override string ToString() =>
        (User is null ? "" : User + "@") + Address + (Port is null ? "" : ":" + Port);
}

// `ssh` command lines. The remote command is rendered once, with POSIX quoting, because the
// remote side always hands it to a shell; its standard input (a script for `sh -s`) goes along.
public static class Ssh
{
    // What runs on the VM can't be half undone from here: an interrupt lets it finish.
    public static ShellCommand Run(SshTarget target, ShellCommand remote) =>
        remote.Wrapped("ssh", Options(target, portFlag: "-p")
            .Append(Login(target))
            .Append(remote.ToShellLine()))
            .FinishingWhenInterrupted();

    // Ends the shared connection to the target (ssh -O exit): its socket goes, and so does the master process.
    public static ShellCommand CloseShared(SshTarget target) =>
        ShellCommand.Of("ssh", Options(target, portFlag: "-p").Concat(["-O", "exit", Login(target)]).ToArray<object>()).FinishingWhenInterrupted();

    private static string Login(SshTarget target) => (target.User is null ? "" : target.User + "@") + target.Address;

    // Shared with Scp: non-interactive (a prompt would hang a CI job), a bounded connect time,
    // and only the given key when one is given.
    internal static IEnumerable<string> Options(SshTarget target, string portFlag)
    {
        yield return "-o";
        yield return "BatchMode=yes";
        yield return "-o";
        yield return "ConnectTimeout=10";
        if (target.Port is { } port)
        {
            yield return portFlag;
            yield return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (target.KeyFile is { } key)
        {
            yield return "-i";
            yield return key;
            yield return "-o";
            yield return "IdentitiesOnly=yes";
        }
        if (target.KnownHostsFile is { } knownHosts)
        {
            yield return "-o";
            yield return "UserKnownHostsFile=" + knownHosts;
            yield return "-o";
            yield return "StrictHostKeyChecking=yes";
        }
        if (target.ControlPath is { } socket)
        {
            // The first command opens the connection and leaves it in the background for the next ones; a run
            // that ends closes it (CloseShared), and one that is killed leaves it to exit once idle that long.
            yield return "-o";
            yield return "ControlMaster=auto";
            yield return "-o";
            yield return "ControlPath=" + socket;
            yield return "-o";
            yield return "ControlPersist=" + SshConnections.IdleSeconds;
        }
    }
}
