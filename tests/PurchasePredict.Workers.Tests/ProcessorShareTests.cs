using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

/// <summary>Each worker's runtime sizes itself for its share of the CPUs, not for all of them (docs/workers.md).</summary>
[NonParallelizable]
public class ProcessorShareTests
{
    [Test]
    public async Task Workers_EachSeeTheirShareOfTheMastersProcessors()
    {
        var processors = await ProcessorCountsSeenByWorkers(new Dictionary<string, string>
        {
            ["WORKERS"] = "2", ["DOTNET_PROCESSOR_COUNT"] = "",
        });
        Assert.That(processors, Is.EquivalentTo(new[] { Math.Max(1, Environment.ProcessorCount / 2) }));
    }

    [Test]
    public async Task Workers_KeepTheOperatorsProcessorCount()
    {
        var processors = await ProcessorCountsSeenByWorkers(new Dictionary<string, string>
        {
            ["WORKERS"] = "2", ["DOTNET_PROCESSOR_COUNT"] = "3",
        });
        Assert.That(processors, Is.EquivalentTo(new[] { 3 }));
    }

    /// <summary>Asks the service until both workers have answered; returns the distinct counts they saw.</summary>
    private static async Task<List<int>> ProcessorCountsSeenByWorkers(Dictionary<string, string> environment)
    {
        await using var host = HostProcess.StartTestApp(environment);
        await host.WaitUntilServing(2);
        var workers = host.StartedWorkerPids().ToHashSet();
        var seen = new Dictionary<int, int>();
        for (var attempt = 0; attempt < 400 && seen.Count < workers.Count; attempt++)
        {
            // A new connection per request, so the kernel spreads them over both workers' sockets.
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            var answer = (await client.GetStringAsync("/processors")).Split(' ');
            seen[int.Parse(answer[0])] = int.Parse(answer[1]);
        }
        Assert.That(seen.Keys, Is.EquivalentTo(workers), "both workers answered");
        return [.. seen.Values.Distinct()];
    }
}
