using System.Diagnostics;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class StuckWorkerTests
{
    private const int TimeoutSeconds = 3;

    [Test]
    public async Task StuckWorker_IsKilledAfterWorkerTimeoutAndReplaced()
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["WORKER_TIMEOUT"] = TimeoutSeconds.ToString(),
            [HostSettings.TestHangVariable] = "3",
        });
        await host.WaitUntilServing(workers: 2);

        var (stuckPid, hungAt) = await MakeOneWorkerHang(host);
        var timedOut = await host.WaitForEvent("worker_timeout", e => e.Pid() == stuckPid, TimeSpan.FromSeconds(TimeoutSeconds + 5));
        var detectedAfter = hungAt.Elapsed;
        var exited = await host.WaitForEvent("worker_exited", e => e.Pid() == stuckPid);
        var replacement = await host.WaitForEvent("worker_started", e => e.NullableInt("Replaces") == stuckPid);
        await host.WaitForEvent("worker_ready", e => e.Pid() == replacement.Pid());

        await TestContext.Out.WriteLineAsync($"stuck worker killed {detectedAfter.TotalMilliseconds:F0} ms after it hung");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(detectedAfter, Is.InRange(TimeSpan.FromSeconds(TimeoutSeconds - 1), TimeSpan.FromSeconds(TimeoutSeconds + 2)));
            Assert.That(timedOut.Int("SilentMs"), Is.GreaterThan(TimeoutSeconds * 1000));
            Assert.That(exited.NullableInt("Signal"), Is.EqualTo(Posix.SIGKILL));
            Assert.That(Posix.IsAlive(stuckPid), Is.False);
        }
    }

    /// <summary>Sends requests, each on a new connection, until one worker reports its test hang engaged.</summary>
    private static async Task<(int Pid, Stopwatch HungAt)> MakeOneWorkerHang(HostProcess host)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMilliseconds(500) };
        const string marker = "test hang engaged in worker ";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var hung = host.Stderr.Split('\n').FirstOrDefault(line => line.StartsWith(marker, StringComparison.Ordinal));
            if (hung is not null)
                return (int.Parse(hung[marker.Length..].Split(' ')[0]), Stopwatch.StartNew());
            using var request = new HttpRequestMessage(HttpMethod.Get, "/pid");
            request.Headers.ConnectionClose = true;
            try
            {
                using var _ = await client.SendAsync(request);
            }
            catch (TaskCanceledException)
            {
                // The request that engaged the hang never answers; the loop then finds the worker's line.
            }
        }
        Assert.Fail($"no worker hung; stderr:\n{host.Stderr}");
        throw new UnreachableException();
    }
}
