#nullable enable
using System.Text.RegularExpressions;

// POSIX shell quoting. The one place that decides how an argument survives a shell,
// which matters for commands sent over ssh: the remote side always parses a string.
public static class ShellQuote
{
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && SafeArgument().IsMatch(argument))
        {
            return argument;
        }
        return "'" + argument.Replace("'", "'\\''") + "'";
    }

    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    // Not [GeneratedRegex]: Cake's script compiler runs no source generators.
    private static readonly Regex SafeArgumentPattern = new("^[A-Za-z0-9_@%+=:,./-]+$", RegexOptions.Compiled);

    private static Regex SafeArgument() => SafeArgumentPattern;
}
