#nullable enable
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

// One deployed release kept on a VM: <UTC time>-<short commit>/ with the unit, env file and image.
public sealed record HistoryEntry(string Name, string Commit, string Image);

// The last few releases that passed their health check, on the VM in /var/lib/purchase_predict_api/history
// (root-only: the env files hold secrets). The newest entry is what runs; Rollback picks an older one.
public sealed class DeployHistory(RemoteHost remote)
{
    public const string Directory = DeploySettings.RemoteStateDirectory + "/history";

    public static string EntryName(DateTime utc, string commit) =>
        utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + (commit.Length > 12 ? commit[..12] : commit);

    public static ShellCommand RecordCommand(string stage, string entry, int keep) => RemoteScript.Of(
        "set -e; h=$1; install -d -m 0700 \"$h\"; rm -rf \"$h/.new\"; cp -rp \"$2\" \"$h/.new\"; chmod 0700 \"$h/.new\"; " +
        "rm -rf \"$h/$3\"; mv \"$h/.new\" \"$h/$3\"; " +
        "ls -1 \"$h\" | sort | head -n -\"$4\" | while read -r old; do rm -rf \"$h/$old\"; done",
        Directory, stage, entry, keep.ToString(CultureInfo.InvariantCulture));

    // One line per entry, oldest first: "<name> <commit> <image>".
    public static ShellCommand ListCommand() => RemoteScript.Of(
        "[ -d \"$1\" ] || exit 0; for d in $(ls -1 \"$1\" | sort); do " +
        $"printf '%s %s %s\\n' \"$d\" \"$(cat \"$1/$d/{StagedRelease.CommitFile}\")\" \"$(cat \"$1/$d/{StagedRelease.ImageFile}\")\"; done",
        Directory);

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

    public IReadOnlyList<HistoryEntry> List() => Parse(remote.Run(ListCommand(), quiet: true).StandardOutput);

    public void Record(StagedRelease release, int keep) =>
        remote.Run(RecordCommand(release.Directory, EntryName(DateTime.UtcNow, release.Commit), keep));
}
