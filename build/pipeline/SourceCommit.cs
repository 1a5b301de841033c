#nullable enable
using System.Text.RegularExpressions;

// What Clone learns, once: the commit being built (on branch), its committer time (the image's only
// time, SOURCE_DATE_EPOCH), and whether the registry already holds the image this commit builds to
// (then Test, Publish and Image have nothing to do).
public sealed record SourceCommit(string Commit, string Branch, DateTimeOffset Time, bool InRegistry)
{
    public string Short => ShortOf(Commit);

    // The short sha tags and labels use; a dry run's stand-in for a commit it could not ask for stays as it is.
    public static string ShortOf(string commit) => Regex.IsMatch(commit, "^[0-9a-f]{40}$") ? commit[..7] : commit;
}
