namespace PurchasePredict.Pipeline.Tests;

public class HelpStepTests
{
    [Test]
    public void Print_ListsEveryTarget_AndEverySettingWithItsArgumentAndVariable()
    {
        var logged = new List<string>();
        HelpStep.Print([("Push", "Pushes both tags."), ("Deploy", "Push, then deliver.")], logged.Add);
        var help = string.Join("\n", logged);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Has.One.Matches<string>(l => l.TrimStart().StartsWith("Push ") && l.EndsWith("Pushes both tags.")));
            Assert.That(logged, Has.One.Matches<string>(l => l.TrimStart().StartsWith("Deploy ") && l.EndsWith("Push, then deliver.")));
            foreach (var setting in SettingCatalog.All)
            {
                Assert.That(logged, Has.One.Matches<string>(l => l.Contains(setting.Key + " ") && l.Contains("--" + setting.Argument + " ") && l.Contains(setting.Variable)), setting.Key);
            }
            Assert.That(help, Does.Contain("--dryrun").And.Contain("--env"));
        }
    }
}
