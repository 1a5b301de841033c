using System.Diagnostics;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class BootFailureTests
{
    [Test]
    public async Task BadModel_MasterGivesUpAfterBoundedRetries_WithTheWorkersExitCodeAndReason()
    {
        using var modelFile = new TempFile();
        var model = modelFile.Path;
        await File.WriteAllTextAsync(model, "bad model bytes");
        var stopwatch = Stopwatch.StartNew();
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            [TestApp.TestApp.ModelFileVariable] = model,
        });
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(30));
        var elapsed = stopwatch.Elapsed;

        var failures = host.Events("boot_failed");
        var waitedAtLeast = Enumerable.Range(1, Master.BootBackoff.MaxAttempts - 1).Sum(n => Master.BootBackoff.DelayAfter(n).TotalSeconds);
        await TestContext.Out.WriteLineAsync($"gave up after {elapsed.TotalSeconds:F1} s and {failures.Count} boot failures");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(TestApp.TestApp.ModelLoadFailed), host.AllEvents());
            Assert.That(host.Stderr, Does.Contain($"master gave up: workers failed to boot {Master.BootBackoff.MaxAttempts} times in a row in every slot (slot 0: "));
            Assert.That(host.Stderr, Does.EndWith($"test app: cannot load the model: model {model} is invalid: 'bad model bytes'"));
            Assert.That(host.Events("gave_up").Single().String("Error"), Does.Contain("is invalid"));
            Assert.That(failures.Max(e => e.Int("Attempt")), Is.EqualTo(Master.BootBackoff.MaxAttempts));
            Assert.That(failures, Has.Count.InRange(2 * Master.BootBackoff.MaxAttempts, 3 * Master.BootBackoff.MaxAttempts), "every slot tried, bounded");
            Assert.That(elapsed.TotalSeconds, Is.GreaterThanOrEqualTo(waitedAtLeast), "restarts back off");
            Assert.That(host.Events("worker_ready"), Is.Empty);
        }
    }

    [Test]
    public async Task BadAppSettings_MasterGivesUpAtOnce_WithExitCode2()
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            [TestApp.TestApp.ModelFileVariable] = "",
        });
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InvalidSettings), host.AllEvents());
            Assert.That(host.Stderr, Does.EndWith($"master gave up: a worker failed to boot: test app: {TestApp.TestApp.ModelFileVariable} is empty"));
            Assert.That(host.Events("boot_failed"), Has.Count.InRange(1, 2), "no retry");
        }
    }
}
