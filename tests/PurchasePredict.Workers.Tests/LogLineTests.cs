using System.Text.Json;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests;

[NonParallelizable]
public class LogLineTests
{
    private const int Chars = 1500;

    [Test]
    public async Task WorkersLongLogLines_OnTheSharedStdout_NeverInterleave()
    {
        await using var host = HostProcess.StartTestApp(new Dictionary<string, string> { ["WORKERS"] = "2" });
        await host.WaitUntilServing(workers: 2);
        await using (var clients = new ClientLoop(host.BaseAddress, $"/log?chars={Chars}", concurrency: 4, newConnectionPerRequest: true))
            await clients.WaitForSuccesses(1000, TimeSpan.FromSeconds(30));
        host.Signal(Posix.SIGTERM);
        await host.WaitForExit(TimeSpan.FromSeconds(10));

        var lines = host.StdoutLines();
        var broken = lines.Where(line => !IsWhole(line)).ToList();
        var workerLines = lines.Count(line => line.StartsWith("{\"pid\":", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(workerLines, Is.GreaterThanOrEqualTo(1000));
            Assert.That(broken, Is.Empty, $"{broken.Count} of {lines.Count} lines broken, e.g. {broken.FirstOrDefault()?[..Math.Min(200, broken.First().Length)]}");
        }
    }

    private static bool IsWhole(string line)
    {
        try
        {
            var json = JsonDocument.Parse(line).RootElement;
            return !json.TryGetProperty("padding", out var padding) || padding.GetString()!.Length == Chars;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
