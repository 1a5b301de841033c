using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class SingleWorkerTests
{
    [Test]
    public async Task WorkersOne_ServesFromTheProcessItself_WithoutAMaster()
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string> { ["WORKERS"] = "1" });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var pid = await Eventually(() => client.GetStringAsync("/pid"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pid, Is.EqualTo(host.Pid.ToString()));
            Assert.That(host.Events("master_started"), Is.Empty);
        }
        host.Signal(Posix.SIGTERM);
        Assert.That(await host.WaitForExit(TimeSpan.FromSeconds(10)), Is.EqualTo(0));
    }

    private static async Task<string> Eventually(Func<Task<string>> request)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }
}
