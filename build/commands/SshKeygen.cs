#nullable enable
// `ssh-keygen` command lines: the sandbox's own keys, made once per machine.
public static class SshKeygen
{
    // An ed25519 key pair without a passphrase (the sandbox VMs trust it; it protects nothing else).
    public static ShellCommand Create(string privateKeyFile, string comment) =>
        ShellCommand.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", privateKeyFile);
}
