using System.Net;
using System.Security.Cryptography;

namespace PurchasePredict.Api.Tests.Metrics;

/// <summary>GET /metrics of one process: what each kind of request adds, and Prometheus' own linter on the output.</summary>
public class MetricsTests
{
    private static async Task<string> Scrape(ApiServer server)
    {
        using var response = await server.Http.GetAsync("metrics");
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// A scrape once <paramref name="requests"/> requests other than scrapes are counted: a request is counted right
    /// after its answer is written, so the client may read the answer a moment before.
    /// </summary>
    private static async Task<Dictionary<string, double>> ScrapeAfter(ApiServer server, int requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var samples = PrometheusSamples.Parse(await Scrape(server));
            var counted = samples.Where(s => s.Key.StartsWith("purchase_predict_http_requests_total{") && !s.Key.Contains("/metrics")).Sum(s => s.Value);
            if (counted >= requests || DateTime.UtcNow > deadline) return samples;
            await Task.Delay(20);
        }
    }

    private static async Task Post(ApiServer server, string path, string body, HttpStatusCode expected)
    {
        using var response = await server.Http.PostAsync(path, Bodies.Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Scrape_CountsRequestsRowsClassesAndProblems_ByRouteAndStatus()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync();
        await Post(server, "predict", File.ReadAllText(Repo.DemoRequest), HttpStatusCode.OK);
        await Post(server, OipBodies.InferPath, OipBodies.Columns().ToJsonString(), HttpStatusCode.OK);
        await Post(server, "invocations", "{\"instances\": [", HttpStatusCode.BadRequest);
        await Post(server, OipBodies.InferPath, "{\"inputs\": []}", HttpStatusCode.BadRequest);
        // The demo request's 10 rows are 2 buys (models/demo/README.md), sent twice.
        var samples = await ScrapeAfter(server, requests: 4);
        var version = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repo.DemoModel)))[..12];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(samples["purchase_predict_http_requests_total{route=\"/predict\",status=\"200\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_http_requests_total{route=\"/v2/models/{name}/infer\",status=\"200\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_http_requests_total{route=\"/v2/models/{name}/infer\",status=\"400\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_http_requests_total{route=\"/invocations\",status=\"400\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_http_request_duration_seconds_count{route=\"/predict\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_http_request_duration_seconds_bucket{route=\"/predict\",le=\"+Inf\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_rows_scored_total{route=\"/predict\"}"], Is.EqualTo(10));
            Assert.That(samples["purchase_predict_rows_scored_total{route=\"/v2/models/{name}/infer\"}"], Is.EqualTo(10));
            Assert.That(samples["purchase_predict_predicted_class_rows_total{class=\"1\"}"], Is.EqualTo(4));
            Assert.That(samples["purchase_predict_predicted_class_rows_total{class=\"0\"}"], Is.EqualTo(16));
            Assert.That(samples["purchase_predict_predicted_probability_count"], Is.EqualTo(20));
            Assert.That(samples["purchase_predict_problems_total{problem=\"Malformed JSON\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_problems_total{problem=\"Empty frame\"}"], Is.EqualTo(1));
            Assert.That(samples["purchase_predict_request_body_bytes_total{route=\"/predict\"}"], Is.EqualTo(new FileInfo(Repo.DemoRequest).Length));
            Assert.That(samples.Keys, Has.Some.StartsWith("purchase_predict_process_resident_memory_bytes{worker=\"0\"}"));
            Assert.That(samples.Keys.Where(k => k.StartsWith("purchase_predict_master_")), Is.Empty, "no master with one process");
        }
        // The model's identity is published within a second of loading.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var info = $"purchase_predict_model_info{{worker=\"0\",name=\"purchase_predict\",version=\"{version}\",kind=\"binary\"}}";
        while (!PrometheusSamples.Parse(await Scrape(server)).ContainsKey(info) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.That(PrometheusSamples.Parse(await Scrape(server)), Does.ContainKey(info));
    }

    [Test]
    public async Task Scrape_PassesPromtoolCheckMetrics()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync(("MODEL_NAME", "shop_buyers"));
        await Post(server, "predict", File.ReadAllText(Repo.DemoRequest), HttpStatusCode.OK);
        await Post(server, "predict", "[", HttpStatusCode.BadRequest);
        await server.Http.GetAsync("no/such/path");
        var (exitCode, output) = await PrometheusSamples.PromtoolCheckAsync(await Scrape(server));
        Assert.That((exitCode, output), Is.EqualTo((0, "")));
    }

    [Test]
    public async Task MetricsOff_ServesNoMetricsEndpoint_AndStillPredicts()
    {
        await using var server = await ApiServer.StartWithDemoModelAsync(("METRICS", "false"));
        await Post(server, "predict", File.ReadAllText(Repo.DemoRequest), HttpStatusCode.OK);
        using var metrics = await server.Http.GetAsync("metrics");
        Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
