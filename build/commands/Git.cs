#nullable enable
// git command lines. The pipeline only reads from remotes and clones: it never commits or pushes.
public static class Git
{
    // Exit code 2 when the branch doesn't exist, 128 when the repository can't be reached. A dry run
    // that may not ask the remote plans a stand-in for the branch's head.
    public static ShellCommand LsRemoteBranch(string repository, string branch) =>
        (branch == "HEAD"
            ? ShellCommand.Of("git", "ls-remote", "--exit-code", "--", repository, "HEAD")
            : ShellCommand.Of("git", "ls-remote", "--exit-code", "--", repository, "refs/heads/" + branch))
        .Planned($"<head of {branch}>\tHEAD");

    // "HEAD" clones the repository's default branch (for a local working copy: the branch checked out there).
    public static ShellCommand Clone(string repository, string branch, string directory) =>
        branch == "HEAD"
            ? ShellCommand.Of("git", "clone", "--quiet", "--single-branch", "--", repository, directory)
            : ShellCommand.Of("git", "clone", "--quiet", "--single-branch", "--branch", branch, "--", repository, directory);

    // Every branch, without a checkout: for a commit that may no longer be any branch's head.
    public static ShellCommand CloneAll(string repository, string directory) =>
        ShellCommand.Of("git", "clone", "--quiet", "--no-checkout", "--", repository, directory);

    public static ShellCommand RevParse(string directory, string revision) =>
        ShellCommand.Of("git", "-C", directory, "rev-parse", "--verify", revision);

    // A commit of a clone, by full or abbreviated sha: what --commit and Verify build.
    public static ShellCommand Checkout(string directory, string commit) =>
        ShellCommand.Of("git", "-C", directory, "checkout", "--quiet", "--detach", commit + "^{commit}");

    // The commit's committer time in seconds since the epoch: the image's SOURCE_DATE_EPOCH.
    public static ShellCommand CommitTime(string directory) =>
        ShellCommand.Of("git", "-C", directory, "show", "--no-patch", "--format=%ct", "HEAD").Planned("0");

    public static ShellCommand RemoteUrl(string directory) =>
        ShellCommand.Of("git", "-C", directory, "remote", "get-url", "origin");

    // Empty output means the working tree is exactly the commit: safe to reuse for a build.
    public static ShellCommand Status(string directory) =>
        ShellCommand.Of("git", "-C", directory, "status", "--porcelain", "--untracked-files=all", "--ignored=no");
}
