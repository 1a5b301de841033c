#nullable enable
using System.Linq;

// A short POSIX sh script run on a VM as one command, so a step costs one ssh round trip.
// Arguments go in as $1, $2...: they are never pasted into the script text.
public static class RemoteScript
{
    public static ShellCommand Of(string script, params string[] arguments) =>
        ShellCommand.Of("sh", new object[] { "-c", script, "sh" }.Concat(arguments).ToArray());

    // Runs commands one after the other, stopping at the first that fails.
    public static ShellCommand Sequence(params ShellCommand[] commands) =>
        Of(string.Join(" && ", commands.Select(c => c.ToShellLine())));
}
