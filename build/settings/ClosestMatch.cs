#nullable enable
using System.Linq;

// "Did you mean ...?" for a mistyped argument or key: the known name fewest edits away (letters added,
// removed, replaced or swapped), when it is close enough to be a typo rather than another word.
public static class ClosestMatch
{
    public static string? Find(string typed, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: Distance(typed.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, c.Name.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();

    // The optimal string alignment distance (Levenshtein plus swaps of neighbours: "brnach" -> "branch" is 1).
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }

    // " (did you mean 'x'?)", or nothing when no known name is close.
    public static string Suggestion(string typed, IEnumerable<string> known, string prefix = "") =>
        Find(typed, known) is { } match ? $" (did you mean '{prefix}{match}'?)" : "";
}
