using System.Net;
using System.Text;
using System.Text.Json;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>
/// Memory per request is bounded by design, and given back: four concurrent worst-case bodies against one process
/// (one worker) whose GC heap is capped at 200 MB. Large bodies are read one at a time (MAX_LARGE_REQUESTS=1, the
/// default), so the peak is about one request's worth above idle.
/// </summary>
public class MemoryTests
{
    private const int Concurrent = 4;
    private const int Rounds = 3;
    private const string HeapLimitBytes = "0xC800000"; // 200 MB

    [Test]
    public async Task WorstCaseBodies_FourAtOnce_NoServerErrorNoDeadProcess_AndMemoryComesBack()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["MODEL_URI"] = Repo.DemoModel,
            ["DOTNET_GCHeapHardLimit"] = HeapLimitBytes,
        });
        await service.WaitUntilReadyAsync();
        await Task.Delay(2000);
        var idle = Memory(service.Pid, "VmRSS");
        var body = WorstCaseBody();
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < Rounds; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => service.Http.PostAsync("predict", Bodies.Json(body))));
            statuses.AddRange(answers.Select(a => a.StatusCode));
        }
        var peak = Memory(service.Pid, "VmHWM");
        var after = await MemoryOnceBelow(service.Pid, idle + 48, TimeSpan.FromSeconds(10));

        await TestContext.Out.WriteLineAsync(
            $"{Rounds} rounds of {Concurrent} concurrent {body.Length / 1_000_000.0:F1} MB bodies: RSS idle {idle} MB, peak {peak} MB, " +
            $"{after.Rss} MB {after.Waited.TotalSeconds:F1} s after the last answer");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.BadRequest), "each is refused as a frame (no 5xx)");
            Assert.That(service.HasExited, Is.False);
            // Idle is measured after the compacting collection that follows the model's load, which lowered it: one
            // request at a time peaked 139 MB above it in a run of 1 Dec 2026 (load average 23), 145 to 147 MB in three
            // runs of 2 Dec with nothing else running (src/PurchasePredict.Api/README.md); four at once, before
            // MAX_LARGE_REQUESTS and that collection, peaked 180 MB above the higher idle of then.
            Assert.That(peak - idle, Is.LessThan(160), "MB: one large request at a time");
            Assert.That(after.Rss, Is.LessThan(idle + 48), "MB: back near idle within 10 s");
        }
    }

    /// <summary>
    /// What costs the parser most memory within MAX_BODY_BYTES: the tutorial client's JSON string (copied out to be
    /// parsed) holding columns whose 10,000 row labels are all of the longest accepted, in another order in the second
    /// column (so the labels are also indexed). It names two features only, so every request ends in a 400 after
    /// being parsed whole.
    /// </summary>
    private static byte[] WorstCaseBody()
    {
        var labels = Enumerable.Range(0, 10_000).Select(i => i.ToString("D5") + new string('x', 251)).ToArray();
        string Column(IEnumerable<string> order, string value) => "{" + string.Join(",", order.Select(l => $"\"{l}\":{value}")) + "}";
        var frame = $$"""{"product_id":{{Column(labels, "1")}},"price":{{Column(labels.Reverse(), "2.5")}},"extra":{{Column(labels.Take(9000), "0")}}}""";
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(frame));
    }

    private static async Task<(long Rss, TimeSpan Waited)> MemoryOnceBelow(int pid, long megabytes, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var rss = Memory(pid, "VmRSS");
        while (rss >= megabytes && waited.Elapsed < timeout)
        {
            await Task.Delay(100);
            rss = Memory(pid, "VmRSS");
        }
        return (rss, waited.Elapsed);
    }

    /// <summary>A /proc/PID/status memory line (VmRSS: resident now; VmHWM: the peak), in MB.</summary>
    private static long Memory(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
}
