using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class RecycleTests
{
    private const int MaxRequests = 150;
    private const int Jitter = 50;

    [TestCase(true, TestName = "MaxRequests_RecyclesWorkersWithoutFailedRequest(new connection per request)")]
    [TestCase(false, TestName = "MaxRequests_RecyclesWorkersWithoutFailedRequest(keep-alive)")]
    public async Task MaxRequests_RecyclesWorkersWithoutFailedRequest(bool newConnectionPerRequest)
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["MAX_REQUESTS"] = MaxRequests.ToString(),
            ["MAX_REQUESTS_JITTER"] = Jitter.ToString(),
        });
        await host.WaitUntilServing(workers: 2);
        await using var clients = new ClientLoop(host.BaseAddress, "/pid", concurrency: 4, newConnectionPerRequest);
        var recycled = await host.WaitForEvents("worker_recycled", 4, timeout: TimeSpan.FromSeconds(60));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        var requestedBy = host.Events("recycle_requested").Select(e => e.Pid()).ToHashSet();
        var servedBy = outcomes.Where(o => o.Ok).GroupBy(o => int.Parse(o.Detail)).ToDictionary(g => g.Key, g => g.Count());
        await TestContext.Out.WriteLineAsync($"requests {outcomes.Count}, failed {failures.Count}, served per worker: " +
            string.Join(", ", servedBy.Select(kv => $"{kv.Key}={kv.Value}")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, ClientLoop.Describe(failures));
            Assert.That(recycled.Select(e => e.Int("OldPid")), Is.All.Matches<int>(requestedBy.Contains), "only workers at their limit recycle");
            foreach (var old in recycled.Select(e => e.Int("OldPid")))
                Assert.That(servedBy.GetValueOrDefault(old), Is.GreaterThanOrEqualTo(MaxRequests),
                    $"worker {old} served its budget, and kept serving while its successor booted");
        }
    }
}
