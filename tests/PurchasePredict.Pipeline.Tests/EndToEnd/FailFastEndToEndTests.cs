namespace PurchasePredict.Pipeline.Tests;

// Bad input stops ./build.sh in Setup, before any task: a clear message naming the setting and its
// source, no command run, nothing cloned, built or pushed.
[Category("EndToEnd")]
[NonParallelizable]
public class FailFastEndToEndTests
{
    private PipelineWorkspace _workspace = null!;

    [OneTimeSetUp]
    public void CreateWorkspace()
    {
        _workspace = PipelineWorkspace.CopyOfRepository();
        // An environment file that lacks a required setting.
        var sandbox = File.ReadAllText(Path.Combine(_workspace.Folder, "ops", "environments", "sandbox.json"));
        File.WriteAllText(Path.Combine(_workspace.Folder, "ops", "environments", "e2e-missing.json"),
            System.Text.RegularExpressions.Regex.Replace(sandbox, "\"project\": \"[^\"]*\",", ""));
    }

    [OneTimeTearDown]
    public void DeleteWorkspace() => _workspace?.Dispose();

    [TestCase("--project=Bad_Project", "Setting 'project' = 'Bad_Project' (from argument --project): a GCP project id is")]
    [TestCase("--branch=no-such-branch", "Setting 'branch' = 'no-such-branch' (from argument --branch): there is no branch 'no-such-branch'")]
    [TestCase("--repo=file:///nonexistent/repository", "Setting 'repo' = 'file:///nonexistent/repository' (from argument --repo): git cannot read")]
    [TestCase("--env=e2e-missing", "Setting 'project' is missing: set it in")]
    [TestCase("--registry=docker.io", "Setting 'registry' = 'docker.io' (from argument --registry)")]
    public void BadInput_FailsInSetupWithClearMessageAndNoSideEffect(string argument, string message)
    {
        var run = _workspace.Run(null, "--target=Push", argument);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain(message), run.ToString());
            Assert.That(run.Output, Does.Not.Contain("> "), "no command ran");
            Assert.That(Directory.Exists(Path.Combine(_workspace.Artifacts, "clone")), Is.False);
            Assert.That(File.Exists(Path.Combine(_workspace.Artifacts, "image.json")), Is.False);
            Assert.That(run.Duration, Is.LessThan(TimeSpan.FromSeconds(60)));
        }
    }

    [Test]
    public void BadProjectFromEnvironmentVariable_NamesTheVariable()
    {
        var run = _workspace.Run(new Dictionary<string, string> { ["PP_PROJECT"] = "x" }, "--target=Push");
        Assert.That(run.Output, Does.Contain("Setting 'project' = 'x' (from environment variable PP_PROJECT)"), run.ToString());
    }

    [Test]
    public void DryRun_PrintsThePlanWithCommandsAndRunsNothing()
    {
        // --force as a bare flag too: a Cake argument without a value.
        var run = _workspace.Run(null, "--target=Push", "--dryrun", "--force");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain($"[dry run] git clone --quiet --single-branch -- {_workspace.Folder} {Path.Combine(_workspace.Artifacts, "clone")}"));
            Assert.That(run.Output, Does.Contain("[dry run] dotnet test"));
            Assert.That(run.Output, Does.Contain("[dry run] dotnet publish"));
            Assert.That(run.Output, Does.Contain("[dry run] docker build"));
            Assert.That(run.Output, Does.Contain("[dry run] docker push 127.0.0.1:5000/purchase-predict-sandbox/purchase_predict_api:sandbox"));
            Assert.That(Directory.Exists(Path.Combine(_workspace.Artifacts, "clone")), Is.False);
        }
    }
}
