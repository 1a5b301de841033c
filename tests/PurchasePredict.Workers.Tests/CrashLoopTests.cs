using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

/// <summary>One slot whose workers cannot boot, beside a healthy one.</summary>
[NonParallelizable]
public class CrashLoopTests
{
    [Test]
    public async Task OneSlotCrashLooping_TheOtherServesEveryNewConnection_AndTheMasterStays()
    {
        using var modelFile = new TempFile();
        await File.WriteAllTextAsync(modelFile.Path, "model-v1");
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            [TestApp.TestApp.ModelFileVariable] = modelFile.Path,
        });
        await host.WaitUntilServing(workers: 2);
        var started = host.Events("worker_started");
        var (victim, survivor) = (started[0], started[1]);

        // A bad model on disk, then one worker dies: its slot cannot boot again until the model is fixed.
        await File.WriteAllTextAsync(modelFile.Path, "bad-v2");
        Posix.Kill(victim.Pid(), Posix.SIGKILL);
        var down = await host.WaitForEvent("slot_down", e => e.Int("Slot") == victim.Int("Slot"));
        await using var clients = new ClientLoop(host.BaseAddress, "/pid", concurrency: 4, newConnectionPerRequest: true);
        // Past the 5 attempts after which the master used to stop everything.
        await host.WaitForEvent("boot_failed", e => e.Int("Slot") == victim.Int("Slot") && e.Int("Attempt") == Master.BootBackoff.MaxAttempts + 1,
            TimeSpan.FromSeconds(40));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        await TestContext.Out.WriteLineAsync($"{outcomes.Count} requests on new connections while slot {down.Int("Slot")} was failing, {failures.Count} failed");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, ClientLoop.Describe(failures));
            Assert.That(outcomes.Select(o => o.Detail).Distinct(), Is.EqualTo(new[] { survivor.Pid().ToString() }), "the healthy worker served them all");
            // A connection queued on the dead slot's socket would wait for a worker that never comes (the client's 15 s timeout);
            // the bound leaves room for this shared 2-core machine's pauses.
            Assert.That(outcomes.Max(o => o.Finished - o.Started), Is.LessThan(TimeSpan.FromSeconds(5)), "no connection waited in the dead slot's queue");
            Assert.That(host.Events("gave_up"), Is.Empty);
            Assert.That(host.Events("slot_failing").Select(e => e.Int("Slot")), Is.EqualTo(new[] { victim.Int("Slot") }));
            Assert.That(Posix.IsAlive(survivor.Pid()), Is.True);
        }

        // Fixed model, SIGHUP: the failing slot tries again at once, comes back and takes connections again.
        await File.WriteAllTextAsync(modelFile.Path, "model-v3");
        host.Signal(Posix.SIGHUP);
        var up = await host.WaitForEvent("slot_up", e => e.Int("Slot") == victim.Int("Slot"), TimeSpan.FromSeconds(30));
        Assert.That(await WorkerAnswersOnNewConnections.Within(host, up.Pid()), Is.True, "the recovered slot serves new connections");
    }
}
