using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class ReloadTests
{
    [TestCase(true, false, TestName = "Sighup_AfterModelFileChanged_ServesNewAnswersWithoutFailedRequest(new connection per request)")]
    [TestCase(false, false, TestName = "Sighup_AfterModelFileChanged_ServesNewAnswersWithoutFailedRequest(keep-alive)")]
    [TestCase(false, true, TestName = "Sighup_AfterModelFileChanged_ServesNewAnswersWithoutFailedRequest(keep-alive, to the whole process group)")]
    public async Task Sighup_AfterModelFileChanged_ServesNewAnswersWithoutFailedRequest(bool newConnectionPerRequest, bool toProcessGroup)
    {
        using var modelFile = new TempFile();
        var model = modelFile.Path;
        await using var host = await ServeTwoWorkersWithModelV1(model, ownProcessGroup: toProcessGroup);
        var oldPids = host.StartedWorkerPids();
        await using var clients = new ClientLoop(host.BaseAddress, "/model", concurrency: 4, newConnectionPerRequest);
        await clients.WaitForSuccesses(300, TimeSpan.FromSeconds(20));

        await File.WriteAllTextAsync(model, "model-v2");
        var reloadedOnClientClock = clients.Now;
        // To the group, as `kill -HUP -- -PGID` or a terminal hangup sends it: the master and every worker get it.
        if (toProcessGroup) host.SignalProcessGroup(Posix.SIGHUP);
        else host.Signal(Posix.SIGHUP);
        await host.WaitForEvents("worker_reloaded", 2);
        await host.WaitForEvents("worker_exited", 2, e => oldPids.Contains(e.Pid()));
        var drainedOnClientClock = clients.Now;
        await clients.WaitForSuccesses(300, TimeSpan.FromSeconds(20));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        await TestContext.Out.WriteLineAsync($"requests {outcomes.Count}, failed {failures.Count}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, ClientLoop.Describe(failures));
            Assert.That(outcomes.Where(o => o.Finished < reloadedOnClientClock).Select(o => o.Detail), Is.All.EqualTo("model-v1"));
            Assert.That(outcomes.Where(o => o.Started > drainedOnClientClock).Select(o => o.Detail), Is.All.EqualTo("model-v2"));
            Assert.That(host.Events("worker_exited").Where(e => oldPids.Contains(e.Pid())).Select(e => e.NullableInt("Code")),
                Is.All.EqualTo(0), "old workers drained gracefully; none died of the signal");
            Assert.That(host.Events("reload_requested"), Has.Count.EqualTo(1), "one reload");
            Assert.That(host.Events("worker_started"), Has.Count.EqualTo(4), "two workers, then their two successors");
        }
    }

    [Test]
    public async Task Sighup_WithABadModel_KeepsTheServingWorkersAndTheirModel()
    {
        using var modelFile = new TempFile();
        var model = modelFile.Path;
        await using var host = await ServeTwoWorkersWithModelV1(model);
        var servingPids = host.StartedWorkerPids();
        await using var clients = new ClientLoop(host.BaseAddress, "/model", concurrency: 2, newConnectionPerRequest: true);

        await File.WriteAllTextAsync(model, "bad-v2");
        host.Signal(Posix.SIGHUP);
        var failed = await host.WaitForEvents("replacement_failed", 2);
        await clients.WaitForSuccesses(100, TimeSpan.FromSeconds(20));
        var outcomes = await clients.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Select(e => e.Int("KeptPid")), Is.EquivalentTo(servingPids));
            Assert.That(failed.Select(e => e.String("Error")), Has.All.Contains("is invalid: 'bad-v2'"));
            Assert.That(outcomes.Select(o => o.Detail), Is.All.EqualTo("model-v1"), "no failed request, the old model still answers");
            Assert.That(host.Events("gave_up"), Is.Empty, "a failed reload does not stop the service");
            Assert.That(servingPids.All(Posix.IsAlive), Is.True);
        }
    }

    private static async Task<HostProcess> ServeTwoWorkersWithModelV1(string model, bool ownProcessGroup = false)
    {
        await File.WriteAllTextAsync(model, "model-v1");
        var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            [TestApp.TestApp.ModelFileVariable] = model,
        }, ownProcessGroup);
        try
        {
            await host.WaitUntilServing(workers: 2);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }
}
