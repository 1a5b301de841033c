namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the exact git command lines Clone runs.
public class GitTests
{
    [Test]
    public void GitLsRemote_Branch_AsksForThatBranchOnly() =>
        Assert.That(Git.LsRemoteBranch("https://example.com/r.git", "staging").ToString(),
            Is.EqualTo("git ls-remote --exit-code -- https://example.com/r.git refs/heads/staging"));

    [Test]
    public void GitLsRemote_Head_AsksForDefaultBranch() =>
        Assert.That(Git.LsRemoteBranch("/src/repo", "HEAD").ToString(),
            Is.EqualTo("git ls-remote --exit-code -- /src/repo HEAD"));

    [Test]
    public void GitClone_Branch_ClonesOnlyThatBranch() =>
        Assert.That(Git.Clone("/src/repo", "staging", "/a/clone").ToString(),
            Is.EqualTo("git clone --quiet --single-branch --branch staging -- /src/repo /a/clone"));

    [Test]
    public void GitClone_Head_ClonesDefaultBranch() =>
        Assert.That(Git.Clone("/src/repo", "HEAD", "/a/clone").ToString(),
            Is.EqualTo("git clone --quiet --single-branch -- /src/repo /a/clone"));

    [TestCase("rev", "git -C /c rev-parse --verify HEAD")]
    [TestCase("url", "git -C /c remote get-url origin")]
    [TestCase("status", "git -C /c status --porcelain --untracked-files=all --ignored=no")]
    public void GitQueries_RenderExactly(string which, string expected)
    {
        var command = which switch
        {
            "rev" => Git.RevParse("/c", "HEAD"),
            "url" => Git.RemoteUrl("/c"),
            _ => Git.Status("/c"),
        };
        Assert.That(command.ToString(), Is.EqualTo(expected));
    }
}
