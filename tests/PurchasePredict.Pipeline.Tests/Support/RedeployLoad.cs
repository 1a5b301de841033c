using System.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Pipeline.Tests;

// What a redeploy under load is measured with: bounded clients posting /predict to one VM's port for the
// whole deploy, none of which retries anything (ClientLoop): one opening a new connection per request
// (the tutorial's requests.post), one keeping its connection alive until the server says
// `Connection: close`, and one sending long requests (10,000 rows), which the old release must finish.
internal sealed class RedeployLoad : IAsyncDisposable
{
    // Each client stops by itself after this long, so a hung service can't hold a test forever.
    private static readonly TimeSpan MaxTime = TimeSpan.FromMinutes(4);

    private readonly (string Name, ClientLoop Loop)[] _clients;
    private readonly CancellationTokenSource _bound = new(MaxTime);

    // The clients, the listener sampler and the test share this process's thread pool, two threads at first on this
    // machine: one blocked moment of the test must not hold the clients' next requests (the pool adds a thread only
    // every half second or so), or the figures measure the clients.
    private const int MinPoolThreads = 16;

    public RedeployLoad(int port, string requestBody)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinPoolThreads), Math.Max(io, MinPoolThreads));
        var uri = new Uri($"http://127.0.0.1:{port}");
        _clients =
        [
            ("new connection per request", new ClientLoop(uri, Post(requestBody), 1, newConnectionPerRequest: true)),
            ("keep-alive", new ClientLoop(uri, Post(requestBody), 1, newConnectionPerRequest: false)),
            ("long requests (10,000 rows)", new ClientLoop(uri, Post(LongBody(requestBody)), 1, newConnectionPerRequest: false)),
        ];
        _bound.Token.Register(() => _ = StopAsync());
    }

    // The clients' clock, on which their outcomes are timed (the loops start within microseconds of each other).
    public TimeSpan Now => _clients[0].Loop.Now;

    private static HttpRequestSpec Post(string body) => new("POST", "/predict", Encoding.UTF8.GetBytes(body));

    // The request's rows repeated up to the service's MAX_ROWS, in the tutorial client's format (a JSON string
    // holding pandas' columns-oriented frame, like bench/make-large-body.py): about a second of one worker's time.
    private static string LongBody(string requestBody)
    {
        var columns = JsonNode.Parse(JsonNode.Parse(requestBody)!.GetValue<string>())!.AsObject();
        var frame = new JsonObject();
        foreach (var (name, values) in columns)
        {
            var samples = values!.AsObject().Select(cell => cell.Value).ToList();
            var column = new JsonObject();
            for (var row = 0; row < 10_000; row++)
            {
                column[row.ToString(CultureInfo.InvariantCulture)] = samples[row % samples.Count]?.DeepClone();
            }
            frame[name] = column;
        }
        return JsonSerializer.Serialize(frame.ToJsonString());
    }

    public async Task<IReadOnlyList<ClientFigures>> StopAsync()
    {
        var figures = new List<ClientFigures>();
        foreach (var (name, loop) in _clients)
        {
            figures.Add(ClientFigures.Of(name, await loop.StopAsync()));
        }
        return figures;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, loop) in _clients)
        {
            await loop.DisposeAsync();
        }
        _bound.Dispose();
    }
}

// One client's figures over a redeploy: requests, failed ones (the first few, with what failed, and when the
// failures began and ended on the clients' clock), and the longest time between two successful answers.
internal sealed record ClientFigures(string Client, int Requests, int Failed, double LongestGapMs, TimeSpan LongestGapFrom, string FirstFailures, TimeSpan FailedFrom, TimeSpan FailedUntil)
{
    public static ClientFigures Of(string client, IReadOnlyList<ClientLoop.Outcome> outcomes)
    {
        var answers = outcomes.Where(o => o.Ok).Select(o => o.Finished).Order().ToList();
        var (gapFrom, gap) = answers.Zip(answers.Skip(1), (a, b) => (a, (b - a).TotalMilliseconds))
            .DefaultIfEmpty((TimeSpan.Zero, double.PositiveInfinity)).MaxBy(g => g.Item2);
        var failed = outcomes.Where(o => !o.Ok).ToList();
        return new ClientFigures(client, outcomes.Count, failed.Count, gap, gapFrom, ClientLoop.Describe(failed),
            failed.Select(o => o.Started).DefaultIfEmpty().Min(), failed.Select(o => o.Finished).DefaultIfEmpty().Max());
    }

    public override string ToString() =>
        $"{Client}: {Requests} requests, {Failed} failed, longest gap {LongestGapMs:F0} ms from {LongestGapFrom.TotalMilliseconds:F0} ms" + (Failed > 0 ? $" from {FailedFrom.TotalMilliseconds:F0} to {FailedUntil.TotalMilliseconds:F0} ms (first failures: {FirstFailures})" : "");
}
