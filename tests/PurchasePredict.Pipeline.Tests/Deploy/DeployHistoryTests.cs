namespace PurchasePredict.Pipeline.Tests;

public class DeployHistoryTests
{
    [Test]
    // The history holds distinct releases (history-record.sh replaces an entry of the same release), so
    // the release verified before the current one is the entry before the newest; the same image with
    // another env file is another release.
    public void History_RollbackTarget_IsTheReleaseVerifiedBeforeTheLast_OrTheGivenCommit()
    {
        var entries = DeployHistory.Parse("""
            20260101T000000Z-aaaaaaa aaaaaaa1 img@sha256:1
            20260102T000000Z-bbbbbbb bbbbbbb2 img@sha256:2
            20260103T000000Z-bbbbbbb bbbbbbb2 img@sha256:2
            20260104T000000Z-ccccccc ccccccc3 img@sha256:3
            """);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DeployHistory.RollbackTarget(entries, null)!.Name, Is.EqualTo("20260103T000000Z-bbbbbbb"));
            Assert.That(DeployHistory.RollbackTarget(entries, "bbbb")!.Name, Is.EqualTo("20260103T000000Z-bbbbbbb"));
            Assert.That(DeployHistory.RollbackTarget(entries, "aaaa")!.Commit, Is.EqualTo("aaaaaaa1"));
            Assert.That(DeployHistory.RollbackTarget(entries, "dddd"), Is.Null);
            Assert.That(DeployHistory.RollbackTarget(entries.Take(1).ToList(), null), Is.Null, "one release: nothing before it");
            Assert.That(DeployHistory.RollbackTarget([], null), Is.Null);
        }
    }

    [Test]
    public void History_EntryNames_SortByTime() =>
        Assert.That(DeployHistory.EntryName(new DateTime(2026, 11, 25, 14, 5, 9, DateTimeKind.Utc), "0123456789abcdef"),
            Is.EqualTo("20261125T140509Z-0123456789ab"));
}
