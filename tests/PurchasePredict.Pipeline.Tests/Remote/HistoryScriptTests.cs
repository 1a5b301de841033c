namespace PurchasePredict.Pipeline.Tests;

// build/remote/history-list.sh, history-record.sh and stage-from-history.sh with a real shell.
public class HistoryScriptTests
{
    private ScriptBench _bench = null!;

    private string History => _bench["state/history"];

    [SetUp]
    public void Create() => _bench = new ScriptBench();

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void List_WithoutHistory_PrintsNothing()
    {
        var result = _bench.Run("history-list.sh", History);
        Assert.That((result.ExitCode, result.StandardOutput), Is.EqualTo((0, "")));
    }

    [Test]
    public void Record_ThenList_GivesTheEntriesOldestFirst()
    {
        Record("20260102T000000Z-bbbbbbb", "bbbbbbb2", "img@sha256:2", keep: 5);
        Record("20260101T000000Z-aaaaaaa", "aaaaaaa1", "img@sha256:1", keep: 5);
        Directory.CreateDirectory(Path.Combine(History, ".new"));
        var listing = _bench.Run("history-list.sh", History).StandardOutput;
        Assert.That(DeployHistory.Parse(listing), Is.EqualTo(new[]
        {
            new HistoryEntry("20260101T000000Z-aaaaaaa", "aaaaaaa1", "img@sha256:1"),
            new HistoryEntry("20260102T000000Z-bbbbbbb", "bbbbbbb2", "img@sha256:2"),
        }));
    }

    [Test]
    public void Record_KeepsTheNewestEntriesOnly_RootOnly()
    {
        for (var day = 1; day <= 4; day++)
        {
            Record($"2026010{day}T000000Z-c{day}", $"c{day}", $"img@sha256:{day}", keep: 2);
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.GetDirectories(History).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "20260103T000000Z-c3", "20260104T000000Z-c4" }));
            Assert.That(File.GetUnixFileMode(History) & (UnixFileMode)0b111_111, Is.EqualTo((UnixFileMode)0));
            Assert.That(File.GetUnixFileMode(Path.Combine(History, "20260104T000000Z-c4")) & (UnixFileMode)0b111_111, Is.EqualTo((UnixFileMode)0));
        }
    }

    // Six redeploys of one release leave one entry, the newest: the release before them stays.
    [Test]
    public void Record_TheSameReleaseAgain_ReplacesItsEntry_SoTheHistoryKeepsDistinctReleases()
    {
        Record("20260101T000000Z-a", "a1", "img@sha256:1", keep: 3);
        for (var i = 2; i <= 7; i++)
        {
            Record($"2026010{i}T000000Z-b", "b2", "img@sha256:2", keep: 3);
        }
        Assert.That(_bench.Run("history-list.sh", History).StandardOutput,
            Is.EqualTo("20260101T000000Z-a a1 img@sha256:1\n20260107T000000Z-b b2 img@sha256:2\n"));
    }

    // A release is its image, unit and env file: the same image with another env file is another one.
    [TestCase("purchase_predict_api.env")]
    [TestCase("purchase_predict_api.service")]
    public void Record_TheSameImageWithAnotherFile_IsAnotherRelease(string file)
    {
        Record("20260101T000000Z-a", "a1", "img@sha256:1", keep: 5);
        Record("20260102T000000Z-a", "a1", "img@sha256:1", keep: 5, (file, "changed"));
        Assert.That(DeployHistory.Parse(_bench.Run("history-list.sh", History).StandardOutput).Select(e => e.Name),
            Is.EqualTo(new[] { "20260101T000000Z-a", "20260102T000000Z-a" }));
    }

    [Test]
    public void Record_TheSameEntryAgain_ReplacesIt()
    {
        Record("20260101T000000Z-a", "a1", "img@sha256:old", keep: 5);
        Record("20260101T000000Z-a", "a1", "img@sha256:new", keep: 5);
        Assert.That(_bench.Run("history-list.sh", History).StandardOutput, Is.EqualTo("20260101T000000Z-a a1 img@sha256:new\n"));
    }

    [Test]
    public void StageFromHistory_CopiesTheEntryToANewPrivateFolder()
    {
        Record("20260101T000000Z-a", "a1", "img@sha256:1", keep: 5);
        var result = _bench.Run("stage-from-history.sh", Path.Combine(History, "20260101T000000Z-a"));
        var staged = result.StandardOutput.Trim();
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.ExitCode, Is.Zero, result.StandardError);
                Assert.That(staged, Does.StartWith("/tmp/purchase_predict_api."));
                Assert.That(File.ReadAllText(Path.Combine(staged, "image")), Is.EqualTo("img@sha256:1\n"));
                Assert.That(File.GetUnixFileMode(staged) & (UnixFileMode)0b111_111, Is.EqualTo((UnixFileMode)0));
            }
        }
        finally
        {
            if (staged.StartsWith("/tmp/purchase_predict_api.", StringComparison.Ordinal)) Directory.Delete(staged, recursive: true);
        }
    }

    [Test]
    public void StageFromHistory_OfAMissingEntry_Fails() =>
        Assert.That(_bench.Run("stage-from-history.sh", Path.Combine(History, "nope")).ExitCode, Is.Not.Zero);

    private void Record(string entry, string commit, string image, int keep, (string File, string Content)? changed = null)
    {
        var stage = _bench[$"stage-{Guid.NewGuid():N}"];
        _bench.Write(Path.Combine(Path.GetFileName(stage), "commit"), commit + "\n");
        _bench.Write(Path.Combine(Path.GetFileName(stage), "image"), image + "\n");
        foreach (var file in new[] { "purchase_predict_api.service", "purchase_predict_api.env" })
        {
            _bench.Write(Path.Combine(Path.GetFileName(stage), file), changed is { } c && c.File == file ? c.Content : file + " of " + image);
        }
        var result = _bench.Run("history-record.sh", History, stage, entry, keep.ToString());
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
    }
}
