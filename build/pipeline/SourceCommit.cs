#nullable enable
using System.Text.RegularExpressions;

// What Clone learns, once: the commit being built (on branch), and whether the image of that commit is
// already built the same way (then Test, Publish and Image have nothing to do).
public sealed record SourceCommit(string Commit, string Branch, bool AlreadyBuilt)
{
    public string Short => ShortOf(Commit);

    // The short sha tags and labels use; a dry run's stand-in for a commit it could not ask for stays as it is.
    public static string ShortOf(string commit) => Regex.IsMatch(commit, "^[0-9a-f]{40}$") ? commit[..7] : commit;
}
