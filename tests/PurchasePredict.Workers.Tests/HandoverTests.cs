using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

// A deploy's handover: a second master started on the port of a running one (SO_REUSEPORT) while clients
// that never retry keep posting. Its sockets join the port's group only when its workers are ready, so no
// connection waits in a queue nobody serves while it boots (before: as long as its boot).
[NonParallelizable]
public class HandoverTests
{
    // The second master's boot, and the bound for a gap that begins while it boots: well under the boot,
    // which is what a connection given to its sockets used to wait (11,251 ms measured with a 3 s boot under a
    // load of 30), and above what this 2-core machine, shared with other builds, shows anyway while three
    // processes start (up to 958 ms measured).
    private const int BootMs = 5000;
    private const double MaxGapMs = 2000;

    // New connections are what the kernel spreads over the masters' sockets (a keep-alive client stays on its own).
    [Test]
    public async Task SecondMaster_SlowToBecomeReady_TakesNoConnectionBeforeItIs()
    {
        using var oldModel = new TempFile();
        using var newModel = new TempFile();
        await File.WriteAllTextAsync(oldModel.Path, "model-v1");
        await File.WriteAllTextAsync(newModel.Path, "model-v2");
        await using var running = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            [TestApp.TestApp.ModelFileVariable] = oldModel.Path,
        });
        await running.WaitUntilServing(workers: 2);
        await using var clients = new ClientLoop(running.BaseAddress, "/model", concurrency: 1, newConnectionPerRequest: true);
        await clients.WaitForSuccesses(100, TimeSpan.FromSeconds(20));

        var startedOnClientClock = clients.Now;
        await using var handover = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["PORT"] = running.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [TestApp.TestApp.ModelFileVariable] = newModel.Path,
            [TestApp.TestApp.StartDelayVariable] = BootMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await handover.WaitUntilServing(workers: 2);
        var readyOnClientClock = clients.Now;
        await clients.WaitForSuccesses(200, TimeSpan.FromSeconds(20));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        // While the second master boots: before, every connection the kernel gave its sockets waited for its boot.
        var whileBooting = LongestGapMs(outcomes, startedOnClientClock, readyOnClientClock);
        var after = LongestGapMs(outcomes, readyOnClientClock, TimeSpan.MaxValue);
        await TestContext.Out.WriteLineAsync($"requests {outcomes.Count}, failed {failures.Count}, longest gap while the second master booted " +
            $"({(readyOnClientClock - startedOnClientClock).TotalSeconds:F1} s) {whileBooting:F0} ms, after {after:F0} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, ClientLoop.Describe(failures));
            Assert.That(readyOnClientClock - startedOnClientClock, Is.GreaterThan(TimeSpan.FromMilliseconds(BootMs)), "the second master was slow to become ready");
            Assert.That(whileBooting, Is.LessThanOrEqualTo(MaxGapMs), "no connection waited for the booting master");
            Assert.That(outcomes.Where(o => o.Started > readyOnClientClock).Select(o => o.Detail), Does.Contain("model-v2"),
                "once ready, the second master shares the port");
        }
    }

    // The longest time from an answer that came back from..until (on the clients' clock) to the next answer.
    private static double LongestGapMs(IEnumerable<ClientLoop.Outcome> outcomes, TimeSpan from, TimeSpan until)
    {
        var answers = outcomes.Where(o => o.Ok).Select(o => o.Finished).Order().ToList();
        return answers.Zip(answers.Skip(1), (a, b) => (a, b)).Where(gap => gap.a >= from && gap.a < until)
            .Select(gap => (gap.b - gap.a).TotalMilliseconds).DefaultIfEmpty(double.PositiveInfinity).Max();
    }
}
