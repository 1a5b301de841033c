#nullable enable
using System.Linq;

// Where and how to reach a VM with OpenSSH. Whatever is left null falls back to the user's
// ssh config, agent and keys, so ~/.ssh/config, ProxyJump and agents keep working.
public sealed record SshTarget(
    string Address,
    string? User = null,
    int? Port = null,
    string? KeyFile = null,
    string? KnownHostsFile = null)
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
            .Append((target.User is null ? "" : target.User + "@") + target.Address)
            .Append(remote.ToShellLine()))
            .FinishingWhenInterrupted();

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
    }
}
