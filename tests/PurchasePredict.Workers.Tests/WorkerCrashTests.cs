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
        await using var clients = new ClientLoop(host.BaseAddress, "/pid", concurrency: 4, newConnectionPerRequest: false);
        await clients.WaitForSuccesses(3000, TimeSpan.FromSeconds(20));

        // The worker that answered last certainly has clients connected to it.
        var victim = int.Parse(clients.Outcomes().Last(o => o.Ok).Detail);
        var killedAt = DateTimeOffset.UtcNow;
        Posix.Kill(victim, Posix.SIGKILL);
        var replacement = await host.WaitForEvent("worker_started", e => e.NullableInt("Replaces") == victim);
        var ready = await host.WaitForEvent("worker_ready", e => e.Pid() == replacement.Pid());
        await clients.WaitForSuccesses(3000, TimeSpan.FromSeconds(20));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        await TestContext.Out.WriteLineAsync(
            $"requests {outcomes.Count}, failed {failures.Count}; replacement started {(replacement.Time() - killedAt).TotalMilliseconds:F0} ms " +
            $"and ready {(ready.Time() - killedAt).TotalMilliseconds:F0} ms after the kill");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replacement.Time() - killedAt, Is.LessThan(TimeSpan.FromSeconds(1)), "replacement start delay");
            Assert.That(replacement.Int("Slot"), Is.EqualTo(host.Events("worker_started").First(e => e.Pid() == victim).Int("Slot")));
            Assert.That(failures.Count, Is.LessThanOrEqualTo(outcomes.Count / 1000), ClientLoop.Describe(failures));
            Assert.That(await WorkerAnswersOnNewConnections.Within(host, replacement.Pid()), Is.True, "the replacement serves requests");
            Assert.That(Posix.IsAlive(victim), Is.False);
        }
    }
}
