namespace PurchasePredict.Pipeline.Tests;

// build.ps1 under the PowerShell that .config/dotnet-tools.json pins (`dotnet pwsh`): the same
// arguments reach Cake, its exit code comes back, and a real target runs through it.
[Category("EndToEnd")]
[NonParallelizable]
public class PowerShellEndToEndTests
{
    private PipelineWorkspace _workspace = null!;

    [OneTimeSetUp]
    public void CreateWorkspace()
    {
        _workspace = PipelineWorkspace.CopyOfRepository();
        var restore = _workspace.Start("dotnet", ["tool", "restore"]);
        Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
    }

    [OneTimeTearDown]
    public void DeleteWorkspace() => _workspace?.Dispose();

    [Test]
    public void DryRun_PrintsThePlan()
    {
        var run = _workspace.RunPowerShell(null, "--target=Push", "--dryrun", "--force");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain("docker://127.0.0.1:5000/purchase-predict-sandbox/purchase_predict_api:"));
        }
    }

    [Test]
    public void RealTarget_RunsThroughIt() =>
        Assert.That(_workspace.RunPowerShell(null, "--target=Sandbox"), Has.Property("ExitCode").Zero.And.Property("Output").Contains("Registry: serving on 127.0.0.1:5000"));

    [Test]
    public void Failure_ComesBackAsTheExitCode()
    {
        var run = _workspace.RunPowerShell(null, "--target=Push", "--project=Bad_Project");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain("Setting 'project' = 'Bad_Project' (from argument --project)"));
        }
    }

    [Test]
    public void Help_BecomesTheHelpTarget() =>
        Assert.That(_workspace.RunPowerShell(null, "--help").Output, Does.Contain("Settings: ops/environments/<env>.json"));
}
