#nullable enable
using System.Collections.Generic;
using System.Linq;

// Runs one host's delivery after the other, stopping at the first failure, so a bad release reaches
// at most one VM. First it checks that every VM is reachable and sudo works, so an unreachable VM
// fails the deploy before any VM is changed.
public sealed class RollingDeployment(IReadOnlyList<RemoteHost> hosts, Action<string> log)
{
    public static ShellCommand PreflightCommand() => ShellCommand.Of("true");

    public void Run(string what, Action<RemoteHost> deliver)
    {
        foreach (var host in hosts)
        {
            try
            {
                host.Run(PreflightCommand(), quiet: true);
            }
            catch (DeployException e)
            {
                throw new DeployException($"{what}: {e.Message}. No VM was changed.", e);
            }
        }
        for (var i = 0; i < hosts.Count; i++)
        {
            log($"== {what} {hosts[i].Name} ({i + 1}/{hosts.Count})");
            try
            {
                deliver(hosts[i]);
            }
            catch (DeployException e)
            {
                var done = hosts.Take(i).Select(h => h.Host.Name).ToList();
                var untouched = hosts.Skip(i + 1).Select(h => h.Host.Name).ToList();
                throw new DeployException(
                    $"{what} stopped at {hosts[i].Host.Name}: {e.Message}" +
                    (done.Count > 0 ? $" Already updated: {string.Join(", ", done)}." : "") +
                    (untouched.Count > 0 ? $" Not touched: {string.Join(", ", untouched)}." : ""), e);
            }
        }
    }
}
