namespace PurchasePredict.Pipeline.Tests;

// Setup's checks and the --dryrun plan, with plain tasks and the sandbox's settings.
public class TaskPlanTests
{
    [Test]
    public void Check_RunsTheChecksOfThePlannedTasksOnly()
    {
        var checkedTasks = new List<string>();
        var plan = new TaskPlan();
        plan.Add("A", _ => { }, _ => checkedTasks.Add("A"), null, null);
        plan.Add("B", _ => { }, _ => checkedTasks.Add("B"), null, null);
        plan.Check(["B", "Grouping"], Parameters([]));
        Assert.That(checkedTasks, Is.EqualTo(new[] { "B" }));
    }

    [Test]
    public void PrintDryRun_RunsTheBodies_AndNamesTheTasksARealRunSkips()
    {
        var logged = new List<string>();
        var plan = new TaskPlan();
        plan.Add("Build", p => p.Log("building"), null, _ => true, "already built");
        plan.Add("Push", p => p.Log("pushing"), null, _ => false, "never");
        plan.PrintDryRun(["Build", "Push", "Deploy"], Parameters(logged));
        Assert.That(logged.Skip(1), Is.EqualTo(new[] { "-- Build: a real run skips it: already built", "-- Push", "pushing", "-- Deploy" }));
    }

    private static BuildParameters Parameters(List<string> logged) =>
        BuildParameters.Load(DeployTestData.Root, _ => null, name => name == "PURCHASE_PREDICT_CACHE" ? Path.GetTempPath() : null, dryRun: true, logged.Add);
}
