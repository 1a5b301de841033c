namespace PurchasePredict.Pipeline.Tests;

// Monitoring as an operator sets it up for the VMs (issue 18): a real Prometheus scrapes every VM's /metrics
// and answers each VM's count of answered /predict requests through its HTTP API, the same count the VM reports.
public sealed partial class DeployEndToEndTests
{
    private const string PredictCounter = "purchase_predict_http_requests_total";
    private const string PredictLabels = "route=\"/predict\",status=\"200\"";

    [Test, Order(9)]
    public async Task Prometheus_ScrapesEveryVm_AndAnswersEachVmsPredictCountThroughItsApi()
    {
        var reported = new Dictionary<int, string>();
        foreach (var vm in Vms)
        {
            for (var i = 0; i < 20; i++) await Predict(vm.ServicePort);
            var scrape = PrometheusSamples.Parse(await Http.GetStringAsync($"http://127.0.0.1:{vm.ServicePort}/metrics"));
            reported[vm.ServicePort] = scrape[$"{PredictCounter}{{{PredictLabels}}}"].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var prometheus = await PrometheusProcess.StartAsync(Vms.Select(vm => vm.ServicePort).ToArray());
        string Query(int port) => $"sum({PredictCounter}{{instance=\"127.0.0.1:{port}\",{PredictLabels}}})";
        var answered = new Dictionary<int, string?>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(500);
            foreach (var vm in Vms) answered[vm.ServicePort] = await prometheus.QueryAsync(Query(vm.ServicePort));
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !Vms.All(vm => answered[vm.ServicePort] == reported[vm.ServicePort]));
        TestContext.Progress.WriteLine($"Prometheus answered {string.Join(", ", answered.Select(a => $"{a.Key}: {a.Value}"))} after {clock.Elapsed.TotalSeconds:F1} s");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answered, Is.EquivalentTo(reported.ToDictionary(r => r.Key, r => (string?)r.Value)), prometheus.Log());
            Assert.That(await prometheus.QueryAsync("count(up{job=\"purchase_predict\"} == 1)"), Is.EqualTo(Vms.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
