#nullable enable
// Clone: a fresh clone of the configured branch (or of --commit) into artifacts/clone. Never the
// working tree. A clone already at that commit, untouched, is reused: that makes a second run quick.
public static class CloneStep
{
    // Setup: the branch's head. A missing branch or an unreachable repository fails here, before anything
    // runs, naming the setting and its source. A dry run asks only a repository on this machine.
    public static void Check(BuildParameters p)
    {
        var command = Git.LsRemoteBranch(p.Repository, p.Branch);
        var timeout = TimeSpan.FromSeconds(60);
        var result = p.RepositoryIsLocal ? p.Runner.Query(command, timeout) : p.Runner.TryRun(command, quiet: true, timeout: timeout);
        p.RemoteHead = result.ExitCode switch
        {
            0 => result.StandardOutput.Split((char[])['\t', '\n'], 2)[0].Trim(),
            2 => throw p.Settings.Get("branch")!.Invalid($"there is no branch '{p.Branch}' in {p.Repository}."),
            _ => throw p.Settings.Get("repo")!.Invalid($"git cannot read {p.Repository}: {result.LastLine}"),
        };
    }

    public static void Run(BuildParameters p)
    {
        if (p.RemoteHead is null)
        {
            Check(p);
        }
        var wanted = p.Commit ?? p.RemoteHead!;
        string commit;
        if (IsAt(p, wanted))
        {
            p.Log($"Reusing the clone at {wanted[..7]} ({p.Commit ?? p.Branch}): nothing changed.");
            commit = Head(p, wanted);
        }
        else if (p.Commit is { } asked)
        {
            p.Runner.DeleteDirectory(p.Paths.Clone);
            p.Runner.Run(Git.CloneAll(p.Repository, p.Paths.Clone));
            if (p.Runner.TryRun(Git.Checkout(p.Paths.Clone, asked)).ExitCode != 0)
            {
                p.Runner.DeleteDirectory(p.Paths.Clone);
                throw p.Settings.Get("commit")!.Invalid($"there is no commit {asked} in {p.Repository}.");
            }
            commit = Head(p, asked);
            p.Log($"Cloned {p.Repository} at {commit}.");
        }
        else
        {
            p.Runner.DeleteDirectory(p.Paths.Clone);
            p.Runner.Run(Git.Clone(p.Repository, p.Branch, p.Paths.Clone));
            // The head, unless the branch moved since Setup asked.
            commit = Head(p, wanted);
            p.Log($"Cloned {p.Branch} at {commit}.");
        }
        p.Source = Learn(p, commit);
    }

    // What Clone learned, for the tasks after it; a task run alone (--exclusive) reads the existing clone once.
    public static SourceCommit Source(BuildParameters p)
    {
        if (p.Source is null)
        {
            var result = p.Runner.Query(Git.RevParse(p.Paths.Clone, "HEAD"));
            p.Source = result.ExitCode == 0
                ? Learn(p, result.StandardOutput.Trim())
                : throw new InvalidOperationException($"There is no clone in {p.Paths.Clone}: run the Clone target first.");
        }
        return p.Source;
    }

    private static SourceCommit Learn(BuildParameters p, string commit)
    {
        var time = p.Runner.TryRun(Git.CommitTime(p.Paths.Clone), quiet: true).StandardOutput.Trim();
        return new(commit, p.Branch, DateTimeOffset.FromUnixTimeSeconds(long.Parse(time, System.Globalization.CultureInfo.InvariantCulture)),
            ImageStep.IsInRegistry(p, commit));
    }

    // The clone's full commit sha; a dry run plans the one it was asked for.
    private static string Head(BuildParameters p, string planned) =>
        p.Runner.TryRun(Git.RevParse(p.Paths.Clone, "HEAD").Planned(planned), quiet: true).StandardOutput.Trim();

    // A full sha, or the prefix --commit gave.
    private static bool IsAt(BuildParameters p, string commit) =>
        System.IO.Directory.Exists(System.IO.Path.Combine(p.Paths.Clone, ".git"))
        && p.Runner.Query(Git.RemoteUrl(p.Paths.Clone)).StandardOutput.Trim() == p.Repository
        && p.Runner.Query(Git.RevParse(p.Paths.Clone, "HEAD")).StandardOutput.Trim().StartsWith(commit, StringComparison.Ordinal)
        && p.Runner.Query(Git.Status(p.Paths.Clone)) is { ExitCode: 0, StandardOutput: var status } && status.Trim().Length == 0;
}
