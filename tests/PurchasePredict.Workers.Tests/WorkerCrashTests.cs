using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class WorkerCrashTests
{
    [Test]
    public async Task Kill9_UnderClientLoop_FailsAtMostOnePerMilleAndRestartsTheWorkerWithinOneSecond()
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string> { ["WORKERS"] = "2" });
        await host.WaitUntilServing(workers: 2);
        await using var clients = new ClientLoop(host.BaseAddress, "/pid", concurrency: 4, newConnectionPerRequest: true);
        await clients.WaitForSuccesses(500, TimeSpan.FromSeconds(20));

        var victim = host.Events("worker_ready")[0].Pid();
        var killedAt = DateTimeOffset.UtcNow;
        var killedOnClientClock = clients.Now;
        Posix.Kill(victim, Posix.SIGKILL);
        var replacement = await host.WaitForEvent("worker_started", e => e.NullableInt("replaces") == victim);
        var ready = await host.WaitForEvent("worker_ready", e => e.Pid() == replacement.Pid());
        await clients.WaitForSuccesses(500, TimeSpan.FromSeconds(20));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        var afterKill = outcomes.Where(o => o.Started >= killedOnClientClock).ToList();
        await TestContext.Out.WriteLineAsync(
            $"requests {outcomes.Count}, failed {failures.Count}; replacement started {(replacement.Time() - killedAt).TotalMilliseconds:F0} ms " +
            $"and ready {(ready.Time() - killedAt).TotalMilliseconds:F0} ms after the kill; slowest request after the kill " +
            $"{afterKill.Max(o => (o.Finished - o.Started).TotalMilliseconds):F0} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replacement.Time() - killedAt, Is.LessThan(TimeSpan.FromSeconds(1)), "replacement start delay");
            Assert.That(replacement.Int("slot"), Is.EqualTo(host.Events("worker_started").First(e => e.Pid() == victim).Int("slot")));
            Assert.That(failures.Count, Is.LessThanOrEqualTo(outcomes.Count / 1000), ClientLoop.Describe(failures));
            Assert.That(afterKill.Any(o => o.Ok && o.Detail == replacement.Pid().ToString()), Is.True, "the replacement serves requests");
            Assert.That(Posix.IsAlive(victim), Is.False);
        }
    }
}
