using System.Diagnostics;

namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>
/// Clients hammering the service while a test does something to it: every request's outcome is recorded,
/// a failure being anything but a 200 answer (error status, reset, close, timeout). No retries.
/// </summary>
internal sealed class ClientLoop : IAsyncDisposable
{
    public sealed record Outcome(TimeSpan Started, TimeSpan Finished, bool Ok, string Detail);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly List<Outcome> _outcomes = [];
    private readonly Task[] _clients;

    /// <param name="newConnectionPerRequest">
    /// True sends `Connection: close`, so every request goes through a listening socket's accept queue;
    /// false reuses each keep-alive connection until the server closes it.
    /// </param>
    public ClientLoop(Uri baseAddress, string path, int concurrency, bool newConnectionPerRequest)
        : this(baseAddress, HttpRequestSpec.Get(path), concurrency, newConnectionPerRequest)
    {
    }

    public ClientLoop(Uri baseAddress, HttpRequestSpec request, int concurrency, bool newConnectionPerRequest)
    {
        _clients = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(baseAddress.Port, request, newConnectionPerRequest)))];
    }

    /// <summary>Time since the loop started, on the clock the outcomes use.</summary>
    public TimeSpan Now => _clock.Elapsed;

    private async Task RunAsync(int port, HttpRequestSpec request, bool newConnectionPerRequest)
    {
        RawHttpConnection? connection = null;
        while (!_stop.IsCancellationRequested)
        {
            var started = _clock.Elapsed;
            Outcome outcome;
            using var timeout = new CancellationTokenSource(RequestTimeout);
            try
            {
                connection ??= await RawHttpConnection.OpenAsync(port, timeout.Token);
                var response = await connection.SendAsync(request, newConnectionPerRequest, timeout.Token);
                outcome = new Outcome(started, _clock.Elapsed, response.Status == 200,
                    response.Status == 200 ? response.Body : $"{response.Status} {response.Body}");
                if (newConnectionPerRequest || response.ServerCloses)
                {
                    connection.Dispose();
                    connection = null;
                }
            }
            catch (Exception e)
            {
                outcome = new Outcome(started, _clock.Elapsed, false, $"{e.GetType().Name}: {e.Message}");
                connection?.Dispose();
                connection = null;
            }
            lock (_gate)
                _outcomes.Add(outcome);
        }
        connection?.Dispose();
    }

    public List<Outcome> Outcomes()
    {
        lock (_gate)
            return [.. _outcomes];
    }

    public int Count(bool ok)
    {
        lock (_gate)
            return _outcomes.Count(outcome => outcome.Ok == ok);
    }

    /// <summary>Waits until at least <paramref name="count"/> more requests have succeeded.</summary>
    public async Task WaitForSuccesses(int count, TimeSpan timeout)
    {
        var target = Count(ok: true) + count;
        var deadline = Stopwatch.StartNew();
        while (Count(ok: true) < target)
        {
            if (deadline.Elapsed > timeout)
                Assert.Fail($"fewer than {count} successful requests within {timeout.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have been answered or failed, whatever the answer.</summary>
    public async Task WaitForRequests(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (Outcomes().Count < count)
        {
            if (deadline.Elapsed > timeout)
                Assert.Fail($"fewer than {count} requests within {timeout.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Stops issuing requests and waits for the ones in flight.</summary>
    public async Task<List<Outcome>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return Outcomes();
    }

    public static string Describe(IEnumerable<Outcome> failures) =>
        string.Join('\n', failures.Take(10).Select(f => $"{f.Started.TotalMilliseconds:F0} ms: {f.Detail}"));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await StopAsync();
        _stop.Dispose();
    }
}
