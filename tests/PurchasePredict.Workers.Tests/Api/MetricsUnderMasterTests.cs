using System.Diagnostics;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests.Api;

/// <summary>
/// GET /metrics of the API under its master (WORKERS=2): whichever worker a scrape lands on, it answers for all of
/// them; counters survive a killed worker; promtool accepts the output, and a real Prometheus scrapes it.
/// </summary>
[NonParallelizable]
public class MetricsUnderMasterTests
{
    private const string Predicted = "purchase_predict_http_requests_total{route=\"/predict\",status=\"200\"}";

    private static HttpRequestSpec Predict => new("POST", "/predict", File.ReadAllBytes(Path.Combine(HostProcess.DemoModelDir, "request.json")));

    private static async Task<HostProcess> StartApi()
    {
        var host = HostProcess.Start(HostProcess.ApiDll, new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["MODEL_URI"] = Path.Combine(HostProcess.DemoModelDir, "model.txt"),
        });
        await host.WaitUntilServing(workers: 2);
        return host;
    }

    /// <summary>Each request on a new connection, so the kernel spreads them over both workers' sockets.</summary>
    private static async Task<RawHttpConnection.Response> Send(HostProcess host, HttpRequestSpec request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var connection = await RawHttpConnection.OpenAsync(host.Port, timeout.Token);
        return await connection.SendAsync(request, close: true, timeout.Token);
    }

    private static async Task<Dictionary<string, double>> Scrape(HostProcess host)
    {
        var response = await Send(host, HttpRequestSpec.Get("/metrics"));
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        return PrometheusSamples.Parse(response.Body);
    }

    private static double Value(Dictionary<string, double> samples, string series) => samples.GetValueOrDefault(series);

    [Test]
    public async Task EveryScrape_OnWhicheverWorker_CountsAllWorkersRequests_AndAKilledWorkersCountsStay()
    {
        await using var host = await StartApi();
        for (var i = 0; i < 40; i++)
            Assert.That((await Send(host, Predict)).Status, Is.EqualTo(200));
        // A request is counted right after its answer is written: wait for the last one, then scrape again and again.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Value(await Scrape(host), Predicted) < 40 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var scrapes = new List<Dictionary<string, double>>();
        for (var i = 0; i < 20; i++) scrapes.Add(await Scrape(host));
        var perWorker = scrapes[^1].Where(s => s.Key.StartsWith("purchase_predict_worker_requests_total{")).ToList();
        await TestContext.Out.WriteLineAsync($"requests per worker lane: {string.Join(", ", perWorker.Select(s => $"{s.Key} {s.Value}"))}");

        var victim = host.StartedWorkerPids()[0];
        Posix.Kill(victim, Posix.SIGKILL);
        await host.WaitForEvent("worker_ready", e => !host.StartedWorkerPids().Take(2).Contains(e.Pid()), TimeSpan.FromSeconds(30));
        var after = await Scrape(host);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(perWorker, Has.Count.EqualTo(2).And.All.Matches<KeyValuePair<string, double>>(s => s.Value > 0), "both workers answered");
            Assert.That(scrapes.Select(s => Value(s, Predicted)), Has.All.EqualTo(40), "every scrape saw every worker's requests");
            Assert.That(Value(after, Predicted), Is.EqualTo(40), "the killed worker's requests still count");
            Assert.That(Value(after, "purchase_predict_master_worker_restarts_total"), Is.EqualTo(1));
            Assert.That(Value(after, "purchase_predict_master_worker_exits_total"), Is.EqualTo(1));
            Assert.That(after.Keys.Count(k => k.StartsWith("purchase_predict_worker_info{")), Is.EqualTo(2), "the dead worker's process figures are gone");
            Assert.That(after.Keys.Where(k => k.StartsWith("purchase_predict_worker_info{")), Has.None.Contains($"pid=\"{victim}\""));
        }
    }

    [Test]
    public async Task Scrape_UnderAMaster_PassesPromtoolCheckMetrics()
    {
        await using var host = await StartApi();
        Assert.That((await Send(host, Predict)).Status, Is.EqualTo(200));
        Assert.That((await Send(host, new HttpRequestSpec("POST", "/v2/models/purchase_predict/infer", "{}"u8.ToArray()))).Status, Is.EqualTo(400));
        host.Signal(Posix.SIGHUP);
        await host.WaitForEvents("worker_reloaded", 2);
        var scrape = await Send(host, HttpRequestSpec.Get("/metrics"));
        var (exitCode, output) = await PrometheusSamples.PromtoolCheckAsync(scrape.Body);
        Assert.That((exitCode, output), Is.EqualTo((0, "")));
        Assert.That(PrometheusSamples.Parse(scrape.Body)["purchase_predict_master_reloads_total"], Is.EqualTo(2));
    }

    [Test]
    public async Task RealPrometheus_ScrapesTheService_AndAnswersTheCounterThroughItsApi()
    {
        await using var host = await StartApi();
        for (var i = 0; i < 30; i++)
            Assert.That((await Send(host, Predict)).Status, Is.EqualTo(200));
        await using var prometheus = await PrometheusProcess.StartAsync(host.Port);
        // At least two scrapes: the first one may come before the master's counters settle.
        const string query = "sum(purchase_predict_http_requests_total{route=\"/predict\",status=\"200\"})";
        var clock = Stopwatch.StartNew();
        string? value = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && value != "30")
        {
            await Task.Delay(500);
            value = await prometheus.QueryAsync(query);
        }
        await TestContext.Out.WriteLineAsync($"Prometheus answered {value} after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(value, Is.EqualTo("30"), prometheus.Log());
        Assert.That(await prometheus.QueryAsync("up{job=\"purchase_predict\"}"), Is.EqualTo("1"));
    }
}
