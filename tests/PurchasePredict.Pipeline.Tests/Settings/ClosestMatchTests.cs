namespace PurchasePredict.Pipeline.Tests;

public class ClosestMatchTests
{
    [TestCase("brnach", "branch", 1)]
    [TestCase("secret-file", "secrets-file", 1)]
    [TestCase("", "abc", 3)]
    [TestCase("same", "same", 0)]
    [TestCase("kitten", "sitting", 3)]
    public void Distance_CountsEditsAndSwaps(string a, string b, int expected) =>
        Assert.That(ClosestMatch.Distance(a, b), Is.EqualTo(expected));

    [Test]
    public void Find_PicksTheNearest_OrNothingWhenNoneIsClose()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ClosestMatch.Find("projct", ["repo", "project", "branch"]), Is.EqualTo("project"));
            Assert.That(ClosestMatch.Find("Branch", ["branch"]), Is.EqualTo("branch"));
            Assert.That(ClosestMatch.Find("registry-auth-mode", ["repo", "tests"]), Is.Null);
        }
    }
}
