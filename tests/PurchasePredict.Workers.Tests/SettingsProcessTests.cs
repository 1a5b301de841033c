using System.Net;
using System.Net.Sockets;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class SettingsProcessTests
{
    [Test]
    public async Task InvalidVariable_ExitsTwoWithOneLineNamingItBeforeStartingAnything()
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string> { ["WORKERS"] = "four" });
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(10));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InvalidSettings));
            Assert.That(host.Stderr, Is.EqualTo("WORKERS='four' is invalid: expected 'auto' or a whole number from 1 to 256"));
            Assert.That(host.Events("worker_started"), Is.Empty);
        }
    }

    [Test]
    public async Task PortTaken_MasterExitsThreeWithOneLineBeforeStartingWorkers()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string> { ["WORKERS"] = "2", ["PORT"] = port.ToString() });
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(10));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.CannotListen));
            Assert.That(host.Stderr, Does.StartWith($"master cannot listen on port {port}: ").And.Not.Contains("\n"));
            Assert.That(host.Events("worker_started"), Is.Empty);
        }
    }
}
