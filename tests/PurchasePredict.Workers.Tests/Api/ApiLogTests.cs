using System.Text;
using System.Text.Json;
using PurchasePredict.Workers.Logs;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests.Api;

/// <summary>The API's and the master's log lines as docker and journald get them: through a pipe, from several processes.</summary>
[NonParallelizable]
public class ApiLogTests
{
    [Test]
    public async Task LongUrls_FromTwoWorkersThroughAPipe_EveryLineIsOneJsonObjectThatFitsInOneAtomicWrite()
    {
        await using var host = HostProcess.Start(HostProcess.ApiDll, new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["MODEL_URI"] = Path.Combine(HostProcess.DemoModelDir, "model.txt"),
            ["ACCESS_LOG"] = "true",
        });
        await host.WaitUntilServing(workers: 2);
        // 8,000 bytes: about the longest URL Kestrel accepts (its request line may be 8 KiB in all).
        var longPath = "/" + new string('u', 7999);
        await using (var clients = new ClientLoop(host.BaseAddress, longPath, concurrency: 8, newConnectionPerRequest: false))
        {
            await clients.WaitForRequests(3000, TimeSpan.FromSeconds(60));
            var outcomes = await clients.StopAsync();
            Assert.That(outcomes.Select(o => o.Detail[..3]).Distinct(), Is.EqualTo(new[] { "404" }), "every long URL was answered");
        }
        host.Signal(Posix.SIGTERM);
        Assert.That(await host.WaitForExit(TimeSpan.FromSeconds(20)), Is.EqualTo(0));

        var lines = host.StdoutLines();
        var invalid = lines.Where(line => !IsJsonObject(line)).ToList();
        var tooLong = lines.Where(line => Encoding.UTF8.GetByteCount(line) + 1 > JsonLogLine.MaxBytes).ToList();
        var requestLines = lines.Where(line => line.Contains("\"EventId\":2,", StringComparison.Ordinal)).ToList();
        await TestContext.Out.WriteLineAsync($"{lines.Count} lines, {requestLines.Count} request lines, longest {lines.Max(l => l.Length)} chars");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(invalid, Is.Empty, $"{invalid.Count} of {lines.Count} lines are not one JSON object, e.g. {invalid.FirstOrDefault()?[..200]}");
            Assert.That(tooLong, Is.Empty, $"{tooLong.Count} lines over {JsonLogLine.MaxBytes} bytes");
            Assert.That(requestLines, Has.Count.GreaterThanOrEqualTo(3000));
            Assert.That(requestLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("State").GetProperty("Path").GetString()),
                Has.All.StartWith("/uuu").And.All.EndWith("more chars]"));
        }
    }

    [Test]
    public async Task FailedStart_WithCredentialsInMlflowServer_ShowsThemInNoLogLineAndNoStderrLine()
    {
        await using var host = HostProcess.Start(HostProcess.ApiDll, new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["MODEL_URI"] = "models:/purchase@staging",
            ["MLFLOW_SERVER"] = $"http://alice:s3cr3t-P4ss@127.0.0.1:{FreePort.Next()}/",
        });
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(60));
        var everything = string.Join('\n', host.StdoutLines()) + "\n" + host.Stderr;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(4), everything);
            Assert.That(host.Events("boot_failed"), Is.Not.Empty);
            Assert.That(everything, Does.Not.Contain("s3cr3t-P4ss").And.Not.Contain("alice"));
            Assert.That(host.Stderr, Does.Contain("cannot reach MLflow at http://***@127.0.0.1:"));
        }
    }

    private static bool IsJsonObject(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
