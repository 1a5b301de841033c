#nullable enable
using System.Globalization;
using System.Linq;

// One deployed release kept on a VM: <UTC time>-<short commit>/ with the unit, env file and image.
public sealed record HistoryEntry(string Name, string Commit, string Image);

// The VM's history of the distinct releases that passed their checks (history-list.sh prints it,
// history-record.sh adds to it, replacing an entry of the same image, unit and env file): the newest entry
// is the release verified last, which a failed deploy goes back to; Rollback picks an older one.
public static class DeployHistory
{
    public static string EntryName(DateTime utc, string commit) =>
        utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + (commit.Length > 12 ? commit[..12] : commit);

    public static IReadOnlyList<HistoryEntry> Parse(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ') is [var name, var commit, var image] ? new HistoryEntry(name, commit, image)
                : throw new DeployException($"unexpected history line on the VM: '{line}'"))
            .ToList();

    // The release to go back to: the newest of the given commit, or else the release verified before the last one.
    public static HistoryEntry? RollbackTarget(IReadOnlyList<HistoryEntry> entries, string? version) =>
        version is null
            ? (entries.Count >= 2 ? entries[^2] : null)
            : entries.LastOrDefault(e => e.Commit.StartsWith(version, StringComparison.OrdinalIgnoreCase));
}
