#nullable enable
// One VM reached with OpenSSH: runs commands there as root (through `sudo -n` when the login user
// isn't root) and uploads files with scp, all through the one runner. ssh's exit 255 (no connection)
// is a HostUnreachableException; any other failure of Run a DeployException naming the VM and the command.
public sealed class Vm(DeployHost host, SshTarget target, CommandRunner runner)
{
    private bool _contacted;

    public DeployHost Host => host;

    public SshTarget Target => target;

    public string Name => $"{host.Name} ({target})";

    public CommandResult Run(ShellCommand command, bool quiet = false) => Checked(command, TryRun(command, quiet));

    public CommandResult TryRun(ShellCommand command, bool quiet = false) => Send(Sudo.AsRoot(target.User, command), quiet);

    // As the login user, not root: for a staging directory the same user then fills with scp.
    public CommandResult RunAsLoginUser(ShellCommand command) => Checked(command, Send(command, quiet: false));

    public void Upload(IEnumerable<string> files, string remoteDirectory)
    {
        var upload = Scp.Upload(target, files, remoteDirectory);
        Checked(upload, runner.TryRun(upload));
    }

    // The first command to a VM shows the whole ssh line; after that only "[vm] <remote command>", which is what differs.
    private CommandResult Send(ShellCommand remote, bool quiet)
    {
        var first = !_contacted;
        _contacted = true;
        var result = runner.TryRun(Ssh.Run(target, remote), quiet && !first, shown: first ? null : $"[{host.Name}] {remote}");
        return result.ExitCode == 255
            ? throw new HostUnreachableException($"{Name}: cannot connect over ssh: {result.LastLine}")
            : result;
    }

    private CommandResult Checked(ShellCommand command, CommandResult result) =>
        result.ExitCode == 255 ? throw new HostUnreachableException($"{Name}: cannot connect over ssh: {result.LastLine}")
        : result.ExitCode != 0 ? throw new DeployException($"{Name}: `{command}` failed (exit {result.ExitCode}): {result.LastLine}")
        : result;
}
