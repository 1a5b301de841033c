#nullable enable
using System.Linq;

// Small text helpers shared by the steps.
public static class Text
{
    // The last non-empty line, trimmed; null for a text with none. What error messages quote from a command's output.
    public static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
