using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>Large bodies take turns in a worker (MAX_LARGE_REQUESTS), and a slow one cannot keep its turn.</summary>
public class LargeBodyTests
{
    [Test]
    public async Task SlowLargeUpload_IsCutAfterTheGrace_AndTheNextLargeBodyGetsItsTurn()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["MODEL_URI"] = Repo.DemoModel });
        await service.WaitUntilReadyAsync();

        // A: announces 3 MB, sends 100 KB, then nothing; it takes the only turn.
        using var slow = new TcpClient();
        await slow.ConnectAsync("127.0.0.1", service.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {3_000_000}\r\n\r\n"));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("[" + new string(' ', 100_000)));
        await Task.Delay(500);

        // B: a whole 2 MB body, sent at once: it waits for A's turn, which ends when A falls under 64 KB/s.
        var clock = Stopwatch.StartNew();
        using var response = await service.Http.PostAsync("predict", Bodies.Json(Encoding.UTF8.GetBytes("[" + new string(' ', 2_000_000) + "]")));
        var waited = clock.Elapsed;
        var slowAnswer = await ReadAll(stream);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "an empty frame, read whole");
            Assert.That(waited, Is.GreaterThan(TimeSpan.FromSeconds(3)).And.LessThan(TimeSpan.FromSeconds(25)), "B waited for A's turn, and not for long");
            Assert.That(slowAnswer, Does.StartWith("HTTP/1.1 408").Or.Empty, "A was cut");
            Assert.That(service.HasExited, Is.False);
        }
    }

    private static async Task<string> ReadAll(NetworkStream stream)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancel.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
