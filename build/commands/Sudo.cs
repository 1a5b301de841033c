#nullable enable
using System.Linq;

// Runs a command as root on a VM: as is when we log in as root, through `sudo -n` otherwise
// (an unknown user, left to ssh config, may not be root, so it gets sudo too)
// (-n: fail at once instead of waiting for a password nobody will type).
public static class Sudo
{
    public static ShellCommand AsRoot(string? loginUser, ShellCommand command)
    {
        if (command.HasSecretArguments)
        {
            // Re-wrapping would turn the secret into a plain string.
            throw new InvalidOperationException($"Refusing to wrap a command holding a secret in sudo: {command}");
        }
        return loginUser is "root"
            ? command
            : command.Wrapped("sudo", new object[] { "-n", "--", command.Program }.Concat(command.ArgumentValues()));
    }
}
