using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PurchasePredict.Api.Predictions;
using PurchasePredict.Api.Settings;
using PurchasePredict.LightGbm;
using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Api.Metrics;

/// <summary>
/// What the API counts, into this worker's lane of the shared <see cref="MetricsSegment"/>: a few atomic additions
/// per request, and per scored request one per predicted class and probability bucket (counted locally first), so the
/// cost does not grow with the rows' count of atomic operations. With METRICS=false nothing is counted.
/// </summary>
public sealed class ApiMetrics(MetricsSegment segment, ApiSettings settings)
{
    private readonly bool _enabled = settings.Metrics;

    public MetricsSegment Segment { get; } = segment;

    public static int RouteOf(HttpContext context) => MetricLabels.Route((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);

    public void Request(int route, int status, TimeSpan elapsed)
    {
        Interlocked.Increment(ref Segment.Own(MetricsLayout.Requests + route * MetricsLayout.StatusCount + MetricLabels.Status(status)));
        Interlocked.Increment(ref Segment.Own(MetricsLayout.LaneRequests));
        var seconds = elapsed.TotalSeconds;
        var bucket = Bucket(MetricLabels.LatencyBounds, seconds);
        var histogram = MetricsLayout.Latency + route * MetricsLayout.LatencyStride;
        Interlocked.Increment(ref Segment.Own(histogram + bucket));
        Interlocked.Add(ref Segment.Own(histogram + MetricsLayout.LatencyBuckets), (long)(elapsed.Ticks / (TimeSpan.TicksPerMillisecond / 1000)));
    }

    public void Body(HttpContext context, long bytes)
    {
        if (_enabled) Interlocked.Add(ref Segment.Own(MetricsLayout.BodyBytes + RouteOf(context)), bytes);
    }

    public void Problem(string title)
    {
        if (_enabled) Interlocked.Increment(ref Segment.Own(MetricsLayout.Problems + MetricLabels.Problem(title)));
    }

    /// <summary>Rows scored, rows per predicted class (as /predict labels them) and the predicted probability's histogram.</summary>
    public void Scored(HttpContext context, ReadOnlySpan<double> outputs, int rows, LightGbmModel model)
    {
        if (!_enabled) return;
        Interlocked.Add(ref Segment.Own(MetricsLayout.Rows + RouteOf(context)), rows);
        if (model.Kind == ModelKind.Regression || rows == 0) return;
        var classes = model.ClassCount;
        Span<long> perClass = stackalloc long[MetricLabels.CountedClasses + 1];
        Span<long> perBucket = stackalloc long[MetricsLayout.ProbabilityBuckets];
        double sum = 0;
        for (var row = 0; row < rows; row++)
        {
            var values = outputs.Slice(row * classes, classes);
            var label = PredictionsResult.Label(values, model.Kind);
            perClass[Math.Min(label, MetricLabels.CountedClasses)]++;
            // Binary: p(class 1), the "buy" probability; multiclass: the predicted class's probability.
            var probability = model.Kind == ModelKind.Binary ? values[0] : values[label];
            if (!double.IsFinite(probability)) continue;
            perBucket[Math.Min(Bucket(MetricLabels.ProbabilityBounds, probability), perBucket.Length - 1)]++;
            sum += probability;
        }
        for (var i = 0; i < perClass.Length; i++)
            if (perClass[i] != 0) Interlocked.Add(ref Segment.Own(MetricsLayout.Classes + i), perClass[i]);
        for (var i = 0; i < perBucket.Length; i++)
            if (perBucket[i] != 0) Interlocked.Add(ref Segment.Own(MetricsLayout.Probability + i), perBucket[i]);
        Interlocked.Add(ref Segment.Own(MetricsLayout.Probability + perBucket.Length), (long)Math.Round(sum * 1e9));
    }

    /// <summary>The first bucket whose upper bound holds the value; past the last bound, the last bucket.</summary>
    private static int Bucket(double[] bounds, double value)
    {
        var bucket = 0;
        while (bucket < bounds.Length && value > bounds[bucket]) bucket++;
        return bucket;
    }
}
