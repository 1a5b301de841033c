#nullable enable
using System.Collections.Generic;

// One VM reached with OpenSSH: runs commands there as root (through sudo when the login user
// isn't root) and uploads files with scp. All output passes through `redact` before anyone sees it.
public sealed class RemoteHost(DeployHost host, SshTarget target, CommandRunner runner, Func<string, string> redact, Action<string> log)
{
    private bool _sshShown;

    public DeployHost Host => host;

    public SshTarget Target => target;

    public string Name => $"{host.Name} ({target})";

    public CommandResult Run(ShellCommand command, bool quiet = false) =>
        Checked(command, TryRun(command, quiet));

    public CommandResult TryRun(ShellCommand command, bool quiet = false)
    {
        var remote = Sudo.AsRoot(target.User, command);
        var result = runner.TryRun(Ssh.Run(target, remote), quiet: !Show(quiet, remote));
        if (result.ExitCode == 255)
        {
            throw new HostUnreachableException($"{Name}: cannot connect over ssh: {LastLine(result.StandardError)}");
        }
        return result with { StandardOutput = redact(result.StandardOutput), StandardError = redact(result.StandardError) };
    }

    // As the login user, not root: for a staging directory the same user then fills with scp.
    public CommandResult RunAsLoginUser(ShellCommand command) =>
        Checked(command, runner.TryRun(Ssh.Run(target, command), quiet: !Show(false, command)));

    // The full ssh command line once per VM; after that only "[vm] <remote command>", which is what differs.
    private bool Show(bool quiet, ShellCommand remote)
    {
        if (quiet)
        {
            return false;
        }
        if (!_sshShown)
        {
            _sshShown = true;
            return true;
        }
        log($"[{host.Name}] {remote}");
        return false;
    }

    public void Upload(IEnumerable<string> files, string remoteDirectory)
    {
        var upload = Scp.Upload(target, files, remoteDirectory);
        Checked(upload, runner.TryRun(upload));
    }

    private CommandResult Checked(ShellCommand command, CommandResult result) =>
        result.ExitCode == 255 ? throw new HostUnreachableException($"{Name}: cannot connect over ssh: {LastLine(result.StandardError)}")
        : result.ExitCode != 0 ? throw new DeployException($"{Name}: `{command}` failed (exit {result.ExitCode}): {LastLine(redact(result.StandardError))}")
        : result;

    private static string LastLine(string text) =>
        text.Trim().Split('\n') is [.., var last] && last.Length > 0 ? last.Trim() : "(no output)";
}
