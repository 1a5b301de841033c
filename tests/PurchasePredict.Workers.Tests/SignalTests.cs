using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

/// <summary>SIGHUP with WORKERS=1; SIGTERM while a worker is still starting. (SIGHUP to a process group: ReloadTests.)</summary>
[NonParallelizable]
public class SignalTests
{
    [Test]
    public async Task WorkersOne_Sighup_ReloadsInPlace()
    {
        using var modelFile = new TempFile();
        await File.WriteAllTextAsync(modelFile.Path, "model-v1");
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "1",
            [TestApp.TestApp.ModelFileVariable] = modelFile.Path,
        });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.That(await Eventually(() => client.GetStringAsync("/model"), "model-v1"), Is.EqualTo("model-v1"));

        await File.WriteAllTextAsync(modelFile.Path, "model-v2");
        host.Signal(Posix.SIGHUP);
        Assert.That(await Eventually(() => client.GetStringAsync("/model"), "model-v2"), Is.EqualTo("model-v2"));
        Assert.That(await host.WaitForExit(TimeSpan.FromMilliseconds(200)), Is.Null, "still running");
    }

    [TestCase("1")]
    [TestCase("2")]
    public async Task Sigterm_WhileWorkersAreStillStarting_StopsThemCleanly(string workers)
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = workers,
            [TestApp.TestApp.StartDelayVariable] = "10000",
        });
        var starting = int.Parse(workers);
        for (var i = 0; i < 200 && host.Stderr.Split('\n').Count(l => l == TestApp.SlowStart.Began) < starting; i++)
            await Task.Delay(50);
        host.Signal(Posix.SIGTERM);
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(8));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(0), host.Stderr);
            Assert.That(host.Stderr, Does.Not.Contain("Unhandled exception"));
            Assert.That(host.Events("worker_exited").Select(e => e.NullableInt("Code")), Is.All.EqualTo(0));
        }
    }

    private static async Task<string> Eventually(Func<Task<string>> request, string wanted)
    {
        var answer = "";
        for (var attempt = 0; attempt < 100 && answer != wanted; attempt++)
        {
            try
            {
                answer = await request();
            }
            catch (HttpRequestException)
            {
            }
            if (answer != wanted) await Task.Delay(50);
        }
        return answer;
    }
}
