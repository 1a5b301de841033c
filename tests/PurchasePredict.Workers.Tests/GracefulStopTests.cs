using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class GracefulStopTests
{
    private const int SlowRequests = 6;
    private const int SlowMilliseconds = 2000;
    private static readonly TimeSpan GracefulTimeout = TimeSpan.FromSeconds(8);

    [TestCase(Posix.SIGTERM)]
    [TestCase(Posix.SIGINT)]
    public async Task StopSignal_DuringSlowRequests_CompletesEveryOneAndExitsZeroWithinGracefulTimeout(int signal)
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["GRACEFUL_TIMEOUT"] = GracefulTimeout.TotalSeconds.ToString(),
        });
        await host.WaitUntilServing(workers: 2);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var requests = Enumerable.Range(0, SlowRequests).Select(_ => client.GetAsync($"/slow?ms={SlowMilliseconds}")).ToList();
        await WaitUntilInFlight(host, SlowRequests);

        var stopwatch = Stopwatch.StartNew();
        host.Signal(signal);
        await host.WaitForEvent("listeners_closed");
        var refused = await IsRefused(host.Port);
        var exitCode = await host.WaitForExit(GracefulTimeout + TimeSpan.FromSeconds(5));
        var stoppedAfter = stopwatch.Elapsed;
        var responses = await Task.WhenAll(requests);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(0), host.Stderr);
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(refused, Is.True, "new connections are refused while in-flight requests finish");
            Assert.That(stoppedAfter, Is.LessThan(GracefulTimeout), "the master exits within the graceful timeout");
            Assert.That(host.Events("worker_exited").Select(e => e.NullableInt("Code")), Is.All.EqualTo(0), "workers drained, not killed");
            Assert.That(host.Events("worker_started"), Has.Count.EqualTo(2), "no worker is restarted while stopping");
        }
    }

    private static async Task<bool> IsRefused(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private static async Task WaitUntilInFlight(HostProcess host, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (host.Stderr.Split('\n').Count(line => line == TestApp.TestApp.SlowRequestStarted) < count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
                Assert.Fail($"the slow requests did not all reach a worker; stderr:\n{host.Stderr}");
            await Task.Delay(10);
        }
    }
}
