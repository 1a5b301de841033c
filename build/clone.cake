// Clone: a fresh clone of the configured branch into artifacts/clone. Never the working tree.
// A clone already at the branch's head commit, untouched, is reused: that makes a second run quick.
public static class CloneStep
{
    // The branch's head commit on the remote; a missing branch or an unreachable repository fails here,
    // with the setting and its source. Read-only, so Setup calls it before anything runs.
    public static string RemoteHead(BuildParameters p)
    {
        var result = p.Probe.TryRun(Git.LsRemoteBranch(p.Repository, p.Branch), quiet: true, timeout: TimeSpan.FromSeconds(60));
        return result.ExitCode switch
        {
            0 => result.StandardOutput.Split((char[])['\t', '\n'], 2)[0].Trim(),
            2 => throw p.Settings.Get("branch")!.Invalid($"there is no branch '{p.Branch}' in {p.Repository}."),
            _ => throw p.Settings.Get("repo")!.Invalid($"git cannot read {p.Repository}: {LastLine(result.StandardError)}"),
        };
    }

    public static void Run(BuildParameters p)
    {
        var head = RemoteHead(p);
        if (IsAt(p, head))
        {
            p.Log($"Reusing the clone at {head[..7]} ({p.Branch}): nothing changed.");
            return;
        }
        if (!p.DryRun && System.IO.Directory.Exists(p.Paths.Clone))
        {
            DeleteTree(p.Paths.Clone);
        }
        p.Runner.Run(Git.Clone(p.Repository, p.Branch, p.Paths.Clone));
        p.Log($"Cloned {p.Branch} at {Commit(p)}.");
    }

    // The commit being built, read from the clone so that --exclusive runs of later tasks know it too.
    public static string Commit(BuildParameters p)
    {
        if (p.DryRun)
        {
            return "<commit>";
        }
        var result = p.Probe.TryRun(Git.RevParse(p.Paths.Clone, "HEAD"), quiet: true);
        return result.ExitCode == 0
            ? result.StandardOutput.Trim()
            : throw new InvalidOperationException($"There is no clone in {p.Paths.Clone}: run the Clone target first.");
    }

    public static string ShortCommit(BuildParameters p) => p.DryRun ? "<short-commit>" : Commit(p)[..7];

    private static bool IsAt(BuildParameters p, string head) =>
        System.IO.Directory.Exists(System.IO.Path.Combine(p.Paths.Clone, ".git"))
        && p.Probe.TryRun(Git.RemoteUrl(p.Paths.Clone), quiet: true).StandardOutput.Trim() == p.Repository
        && p.Probe.TryRun(Git.RevParse(p.Paths.Clone, "HEAD"), quiet: true).StandardOutput.Trim() == head
        && p.Probe.TryRun(Git.Status(p.Paths.Clone), quiet: true) is { ExitCode: 0, StandardOutput: var status } && status.Trim().Length == 0;

    // git makes pack files read-only, which System.IO.Directory.Delete refuses on some systems.
    private static void DeleteTree(string directory)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            System.IO.File.SetAttributes(file, FileAttributes.Normal);
        }
        System.IO.Directory.Delete(directory, recursive: true);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no output";
}
