#nullable enable
using System.Linq;

// `scp` command lines: OpenSSH's own copy, so it honours the same config, agent and keys as `ssh`.
public static class Scp
{
    public static ShellCommand Upload(SshTarget target, IEnumerable<string> localFiles, string remoteDirectory)
    {
        var files = localFiles.ToArray();
        if (files.Length == 0)
        {
            throw new ArgumentException("Nothing to upload.", nameof(localFiles));
        }
        // An IPv6 address needs brackets in scp's host:path form.
        var host = target.Address.Contains(':') ? "[" + target.Address + "]" : target.Address;
        return ShellCommand.Of("scp", Ssh.Options(target, portFlag: "-P")
            .Append("-q")
            .Concat(files)
            .Append((target.User is null ? "" : target.User + "@") + host + ":" + remoteDirectory + "/")
            .ToArray<object>()).FinishingWhenInterrupted();
    }
}
