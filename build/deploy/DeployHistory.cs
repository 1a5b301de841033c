#nullable enable
using System.Globalization;
using System.Linq;

// One deployed release kept on a VM: <UTC time>-<short commit>/ with the unit, env file and image.
public sealed record HistoryEntry(string Name, string Commit, string Image);

// The VM's history of releases that passed their checks (history-list.sh prints it, history-record.sh
// adds to it): the newest entry is what runs; Rollback picks an older one.
public static class DeployHistory
{
    public static string EntryName(DateTime utc, string commit) =>
        utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + (commit.Length > 12 ? commit[..12] : commit);

    public static IReadOnlyList<HistoryEntry> Parse(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ') is [var name, var commit, var image] ? new HistoryEntry(name, commit, image)
                : throw new DeployException($"unexpected history line on the VM: '{line}'"))
            .ToList();

    // The release to go back to: the given commit, or else the newest one running a different image than now.
    public static HistoryEntry? RollbackTarget(IReadOnlyList<HistoryEntry> entries, string? version)
    {
        if (entries.Count == 0)
        {
            return null;
        }
        var current = entries[^1];
        return version is null
            ? entries.Take(entries.Count - 1).LastOrDefault(e => e.Image != current.Image)
            : entries.LastOrDefault(e => e.Commit.StartsWith(version, StringComparison.OrdinalIgnoreCase));
    }
}
