using System.Globalization;
using System.Text;
using PurchasePredict.Workers.Metrics;
using static PurchasePredict.Api.Metrics.MetricsLayout;

namespace PurchasePredict.Api.Metrics;

/// <summary>
/// The whole service's metrics in Prometheus' text format (version 0.0.4), read from every lane of the shared
/// segment: counters and histograms summed over all workers (the lanes of exited workers included, so they never go
/// back), process figures and the model's identity per live worker (<c>worker</c> label = lane), and the master's counters.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const string Prefix = "purchase_predict_";

    public static string Render(MetricsSegment segment)
    {
        var text = new StringBuilder(16 * 1024);
        var lanes = Enumerable.Range(0, segment.Lanes).ToArray();
        long Sum(int word) => lanes.Sum(lane => Volatile.Read(ref segment.App(lane, word)));
        var live = lanes.Where(lane => Volatile.Read(ref segment.LaneWord(lane, MetricsSegment.LanePid)) != 0).ToArray();

        Header(text, "http_requests_total", "counter", "Requests answered, by route pattern and status (499: the client went away).");
        for (var route = 0; route < RouteCount; route++)
            for (var status = 0; status < StatusCount; status++)
                if (Sum(Requests + route * StatusCount + status) is var count and > 0)
                    Sample(text, "http_requests_total", count, ("route", MetricLabels.Routes[route]), ("status", StatusLabel(status)));

        Header(text, "http_request_duration_seconds", "histogram", "Time from the request's arrival in the app to its answer, by route pattern.");
        for (var route = 0; route < RouteCount; route++)
        {
            var histogram = Latency + route * LatencyStride;
            var buckets = Enumerable.Range(0, LatencyBuckets).Select(bucket => Sum(histogram + bucket)).ToArray();
            if (buckets.Sum() == 0) continue;
            Histogram(text, "http_request_duration_seconds", MetricLabels.LatencyBounds, buckets, Sum(histogram + LatencyBuckets) / 1e6,
                ("route", MetricLabels.Routes[route]));
        }

        Header(text, "worker_requests_total", "counter", "Requests answered per worker lane (the worker label), the lanes of exited workers included.");
        foreach (var lane in lanes)
            if (Volatile.Read(ref segment.App(lane, LaneRequests)) is var count and > 0)
                Sample(text, "worker_requests_total", count, ("worker", Lane(lane)));

        PerRoute(text, Sum, "rows_scored_total", "Rows scored, by route pattern.", Rows);
        PerRoute(text, Sum, "request_body_bytes_total", "Request body bytes read for scoring (before gzip inflation), by route pattern.", BodyBytes);

        Header(text, "problems_total", "counter", "Requests refused for a client problem, by problem title (the problem details' title).");
        for (var problem = 0; problem < MetricLabels.Problems.Length; problem++)
            if (Sum(Problems + problem) is var count and > 0)
                Sample(text, "problems_total", count, ("problem", MetricLabels.Problems[problem]));

        Header(text, "predicted_class_rows_total", "counter", "Rows scored per predicted class (binary: 1 when p > 0.5, as /predict labels them).");
        for (var label = 0; label <= MetricLabels.CountedClasses; label++)
            if (Sum(Classes + label) is var count and > 0)
                Sample(text, "predicted_class_rows_total", count,
                    ("class", label < MetricLabels.CountedClasses ? label.ToString(CultureInfo.InvariantCulture) : MetricLabels.Other));

        Header(text, "predicted_probability", "histogram", "Predicted probability per row (binary: of class 1; multiclass: of the predicted class).");
        var probability = Enumerable.Range(0, ProbabilityBuckets).Select(bucket => Sum(Probability + bucket)).ToArray();
        Histogram(text, "predicted_probability", MetricLabels.ProbabilityBounds[..^1], probability, Sum(Probability + ProbabilityBuckets) / 1e9);

        ModelInfo(text, segment, live);
        ProcessFigures(text, segment, live);
        Master(text, segment);
        return text.ToString();
    }

    private static void PerRoute(StringBuilder text, Func<int, long> sum, string name, string help, int offset)
    {
        Header(text, name, "counter", help);
        for (var route = 0; route < RouteCount; route++)
            if (sum(offset + route) is var count and > 0)
                Sample(text, name, count, ("route", MetricLabels.Routes[route]));
    }

    private static void ModelInfo(StringBuilder text, MetricsSegment segment, int[] live)
    {
        Header(text, "model_info", "gauge", "The model each worker serves: its name and version (as the Open Inference Protocol names them) and kind.");
        foreach (var lane in live)
            if (ModelInfoText.Parse(LaneText.Read(segment, lane, ModelText, ModelTextBytes)) is var (name, version, kind))
                Sample(text, "model_info", 1, ("worker", Lane(lane)), ("name", name), ("version", version), ("kind", kind));
    }

    private static void ProcessFigures(StringBuilder text, MetricsSegment segment, int[] live)
    {
        long Word(int lane, ProcessWord word) => Volatile.Read(ref segment.App(lane, Process + (int)word));
        Header(text, "worker_info", "gauge", "Each live worker: its lane (the worker label), slot and pid.");
        foreach (var lane in live)
            Sample(text, "worker_info", 1, ("worker", Lane(lane)),
                ("slot", Volatile.Read(ref segment.LaneWord(lane, MetricsSegment.LaneSlot)).ToString(CultureInfo.InvariantCulture)),
                ("pid", Volatile.Read(ref segment.LaneWord(lane, MetricsSegment.LanePid)).ToString(CultureInfo.InvariantCulture)));
        PerWorker(text, live, "process_resident_memory_bytes", "gauge", "Resident memory of each worker process.", lane => Word(lane, ProcessWord.ResidentBytes));
        PerWorker(text, live, "process_start_time_seconds", "gauge", "Start time of each worker process, seconds since the Unix epoch.", lane => Word(lane, ProcessWord.StartUnixSeconds));
        PerWorker(text, live, "dotnet_gc_heap_bytes", "gauge", "Managed heap size of each worker after its last GC.", lane => Word(lane, ProcessWord.HeapBytes));
        PerWorker(text, live, "dotnet_gc_allocated_bytes_total", "counter", "Bytes each worker process allocated on the managed heap.", lane => Word(lane, ProcessWord.AllocatedBytes));
        PerWorker(text, live, "dotnet_gc_pause_seconds_total", "counter", "Time each worker process spent paused in GC.", lane => Word(lane, ProcessWord.PauseNanoseconds) / 1e9);
        Header(text, "dotnet_gc_collections_total", "counter", "GCs of each worker process, by generation.");
        foreach (var lane in live)
            foreach (var (generation, word) in new[] { ("0", ProcessWord.Gen0), ("1", ProcessWord.Gen1), ("2", ProcessWord.Gen2) })
                Sample(text, "dotnet_gc_collections_total", Word(lane, word), ("worker", Lane(lane)), ("generation", generation));
    }

    private static void Master(StringBuilder text, MetricsSegment segment)
    {
        if (Volatile.Read(ref segment.MasterWord((int)MasterCounter.MasterPid)) == 0) return;
        long Word(MasterCounter counter) => Volatile.Read(ref segment.MasterWord((int)counter));
        (string Name, MasterCounter Counter, string Help)[] counters =
        [
            ("master_worker_starts_total", MasterCounter.WorkerStarts, "Workers the master started."),
            ("master_worker_restarts_total", MasterCounter.WorkerRestarts, "Workers started in place of one that exited (crash, kill, heartbeat timeout, boot failure)."),
            ("master_worker_exits_total", MasterCounter.WorkerExits, "Worker processes that exited."),
            ("master_boot_failures_total", MasterCounter.BootFailures, "Workers that exited before they were ready."),
            ("master_recycles_total", MasterCounter.Recycles, "Workers replaced after MAX_REQUESTS."),
            ("master_reloads_total", MasterCounter.Reloads, "Workers replaced by a reload (SIGHUP)."),
            ("master_reload_requests_total", MasterCounter.ReloadRequests, "Reloads asked for (SIGHUP to the master)."),
            ("master_heartbeat_timeouts_total", MasterCounter.HeartbeatTimeouts, "Workers killed for missing their heartbeats for WORKER_TIMEOUT."),
            ("master_drain_timeouts_total", MasterCounter.DrainTimeouts, "Draining workers killed for outliving GRACEFUL_TIMEOUT."),
        ];
        foreach (var (name, counter, help) in counters)
        {
            Header(text, name, "counter", help);
            Sample(text, name, Word(counter));
        }
    }

    private static void PerWorker(StringBuilder text, int[] live, string name, string type, string help, Func<int, double> value)
    {
        Header(text, name, type, help);
        foreach (var lane in live)
            Sample(text, name, value(lane), ("worker", Lane(lane)));
    }

    /// <summary>Cumulative buckets from per-bucket counts; the count is the +Inf bucket, so the two always agree.</summary>
    private static void Histogram(StringBuilder text, string name, double[] bounds, long[] buckets, double sum, params (string Name, string Value)[] labels)
    {
        long cumulative = 0;
        for (var bucket = 0; bucket < buckets.Length; bucket++)
        {
            cumulative += buckets[bucket];
            var le = bucket < bounds.Length ? bounds[bucket].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
            Sample(text, name + "_bucket", cumulative, [.. labels, ("le", le)]);
        }
        Sample(text, name + "_sum", sum, labels);
        Sample(text, name + "_count", cumulative, labels);
    }

    private static string StatusLabel(int status) =>
        status < MetricLabels.Statuses.Length ? MetricLabels.Statuses[status].ToString(CultureInfo.InvariantCulture) : MetricLabels.Other;

    private static string Lane(int lane) => lane.ToString(CultureInfo.InvariantCulture);

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(Prefix).Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(Prefix).Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(Prefix).Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) text.Append(',');
                text.Append(labels[i].Name).Append("=\"");
                foreach (var c in labels[i].Value)
                    text.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
                text.Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
