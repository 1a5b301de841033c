using System.Diagnostics;
using System.Text;

namespace PurchasePredict.Pipeline.Tests;

// A client posting /predict to a service on 127.0.0.1 in a loop, a new connection per request like the
// tutorial's requests.post, while a deploy runs: it counts answers and failures and measures the longest
// gap between two answers. Bounded in requests and time, so a hung service can't hold a test forever.
public sealed class PredictLoop
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _failures = [];

    public PredictLoop(int port, string body, int maxRequests = 50_000, TimeSpan? maxTime = null)
    {
        var limit = maxTime ?? TimeSpan.FromMinutes(3);
        _loop = Task.Run(async () =>
        {
            using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            var sinceAnswer = Stopwatch.StartNew();
            while (!_stop.IsCancellationRequested && Answered + Failed < maxRequests && clock.Elapsed < limit)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/predict")
                    {
                        Content = new StringContent(body, Encoding.UTF8, "application/json"),
                    };
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request);
                    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
                    Answered++;
                    if (sinceAnswer.Elapsed > LongestGap) LongestGap = sinceAnswer.Elapsed;
                    sinceAnswer.Restart();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Failed++;
                    lock (_failures) if (_failures.Count < 5) _failures.Add(e.Message);
                    await Task.Delay(10);
                }
            }
        });
    }

    public int Answered { get; private set; }

    public int Failed { get; private set; }

    public TimeSpan LongestGap { get; private set; }

    // The first few failures' messages.
    public string Failures
    {
        get
        {
            lock (_failures) return string.Join("; ", _failures);
        }
    }

    // The figures in the form bench/parts/redeploy.sh reads.
    public override string ToString() =>
        $"{Answered + Failed} requests, {Failed} failed, longest gap between answers {LongestGap.TotalMilliseconds:F0} ms";

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
