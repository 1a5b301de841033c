namespace PurchasePredict.Pipeline.Tests;

// Clone against real git repositories in temporary folders: what Setup learns, what a run reuses.
public class CloneStepTests
{
    private string _root = "";
    private string _head = "";
    private string _first = "";

    [SetUp]
    public void CreateRepository()
    {
        _root = Directory.CreateTempSubdirectory("pipeline-clone-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "ops", "environments"));
        File.WriteAllText(Path.Combine(_root, "ops", "environments", "staging.json"), """
            {"repo": ".", "branch": "staging", "tests": ["tests/A.Tests"], "apiProject": "src/Api", "publishMode": "ready-to-run",
             "runtime": "linux-x64", "registry": "gcr.io", "project": "acme-prod", "registryAuth": "none", "baseImage": "b@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}
            """);
        Git("init", "--quiet", "--initial-branch=staging");
        Commit("one");
        _first = Git("rev-parse", "HEAD").Trim();
        Commit("two");
        _head = Git("rev-parse", "HEAD").Trim();
    }

    // Both commits' time, fixed: the image's only time comes from it.
    private const long CommitTime = 1764547200;

    [TearDown]
    public void DeleteRepository() => new CommandRunner(_ => { }).DeleteDirectory(_root);

    [Test]
    public void Check_LearnsTheBranchesHead()
    {
        var p = Load();
        CloneStep.Check(p);
        Assert.That(p.RemoteHead, Is.EqualTo(_head));
    }

    [Test]
    public void Check_MissingBranch_NamesTheSettingAndItsSource() =>
        Assert.That(() => CloneStep.Check(Load(("branch", "nope"))),
            Throws.TypeOf<SettingsException>().With.Message.EqualTo($"Setting 'branch' = 'nope' (from argument --branch): there is no branch 'nope' in {_root}."));

    [Test]
    public void Check_UnreadableRepository_NamesTheSettingAndGitsReason() =>
        Assert.That(() => CloneStep.Check(Load(("repo", "file:///nonexistent/repository"))),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'repo' = 'file:///nonexistent/repository' (from argument --repo): git cannot read"));

    [Test]
    public void Check_InADryRun_AsksNoRepositoryOnAnotherMachine()
    {
        var logged = new List<string>();
        var p = Load(logged, dryRun: true, ("repo", "https://source.example.invalid/r.git"));
        CloneStep.Check(p);
        Assert.That((p.RemoteHead, logged.Single()), Is.EqualTo(("<head of staging>", "[dry run] git ls-remote --exit-code -- https://source.example.invalid/r.git refs/heads/staging")));
    }

    [Test]
    public void Run_ClonesOnce_ThenReusesTheClone_AndLearnsTheCommit()
    {
        var logged = new List<string>();
        var first = Load(logged);
        CloneStep.Run(first);
        var second = Load(logged);
        CloneStep.Run(second);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Source, Is.EqualTo(new SourceCommit(_head, "staging", DateTimeOffset.FromUnixTimeSeconds(CommitTime), InRegistry: false)));
            Assert.That(second.Source, Is.EqualTo(first.Source));
            Assert.That(logged.Count(l => l.StartsWith("> git clone")), Is.EqualTo(1));
            Assert.That(logged, Has.One.EqualTo($"Reusing the clone at {_head[..7]} (staging): nothing changed."));
        }
    }

    [Test]
    public void Run_WithACommit_ClonesThatCommit_ThenReusesIt()
    {
        var logged = new List<string>();
        CloneStep.Run(Load(logged, arguments: ("commit", _first[..7])));
        var again = Load(logged, arguments: ("commit", _first[..7]));
        CloneStep.Run(again);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.Source!.Commit, Is.EqualTo(_first));
            Assert.That(logged.Count(l => l.StartsWith("> git clone")), Is.EqualTo(1));
            Assert.That(logged, Has.One.EqualTo($"Reusing the clone at {_first[..7]} ({_first[..7]}): nothing changed."));
        }
    }

    [Test]
    public void Run_WithACommitTheRepositoryLacks_FailsNamingIt_AndLeavesNoClone()
    {
        var p = Load(("commit", "0123456"));
        Assert.That(() => CloneStep.Run(p), Throws.TypeOf<SettingsException>().With.Message.EqualTo(
            $"Setting 'commit' = '0123456' (from argument --commit): there is no commit 0123456 in {_root}."));
        Assert.That(Directory.Exists(p.Paths.Clone), Is.False);
    }

    [TestCase("HEAD~1")]
    [TestCase("--upload-pack=x")]
    [TestCase("ABCDEF0")]
    public void Load_ACommitThatIsNotASha_IsRejected(string commit) =>
        Assert.That(() => Load(("commit", commit)), Throws.TypeOf<SettingsException>().With.Message.Contains("expected a commit sha"));

    [Test]
    public void Source_OfATaskRunAlone_ReadsTheExistingClone_OrSaysToCloneFirst()
    {
        Assert.That(() => CloneStep.Source(Load()), Throws.InvalidOperationException.With.Message.Contains("run the Clone target first"));
        CloneStep.Run(Load());
        Assert.That(CloneStep.Source(Load()).Commit, Is.EqualTo(_head));
    }

    private BuildParameters Load(params (string Name, string Value)[] arguments) => Load([], dryRun: false, arguments);

    private BuildParameters Load(List<string> logged, bool dryRun = false, params (string Name, string Value)[] arguments)
    {
        var values = arguments.Append(("env", "staging")).ToDictionary(a => a.Item1, a => a.Item2);
        return BuildParameters.Load(_root, values.GetValueOrDefault, _ => null, dryRun, logged.Add);
    }

    private void Commit(string message) =>
        new CommandRunner(_ => { }) { WorkingDirectory = _root }.Run(ShellCommand.Of("env", "GIT_COMMITTER_DATE=@" + CommitTime + " +0000",
            "git", "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "--quiet", "--allow-empty", "--message", message), quiet: true);

    private string Git(params string[] arguments) =>
        new CommandRunner(_ => { }) { WorkingDirectory = _root }.Run(ShellCommand.Of("git", arguments.Cast<object>().ToArray()), quiet: true).StandardOutput;
}
