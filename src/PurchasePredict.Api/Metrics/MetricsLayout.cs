using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Api.Metrics;

/// <summary>Where each figure lives in a worker's lane of the <see cref="MetricsSegment"/> (word offsets in its app part).</summary>
public static class MetricsLayout
{
    public static readonly int RouteCount = MetricLabels.Routes.Length;
    public static readonly int StatusCount = MetricLabels.Statuses.Length + 1;
    public static readonly int LatencyBuckets = MetricLabels.LatencyBounds.Length + 1;
    public static readonly int ProbabilityBuckets = MetricLabels.ProbabilityBounds.Length;

    /// <summary>Requests by route and status: [route * StatusCount + status].</summary>
    public const int Requests = 0;

    /// <summary>Per route: LatencyBuckets counts (the last is +Inf), then the sum in microseconds.</summary>
    public static readonly int Latency = Requests + RouteCount * StatusCount;
    public static readonly int LatencyStride = LatencyBuckets + 1;

    public static readonly int Rows = Latency + RouteCount * LatencyStride;
    public static readonly int BodyBytes = Rows + RouteCount;
    public static readonly int Problems = BodyBytes + RouteCount;

    /// <summary>Rows per predicted class, 0 to CountedClasses - 1, then "other".</summary>
    public static readonly int Classes = Problems + MetricLabels.Problems.Length;

    /// <summary>Rows per probability bucket (not cumulative), then the sum in billionths.</summary>
    public static readonly int Probability = Classes + MetricLabels.CountedClasses + 1;

    /// <summary>The worker's process figures, refreshed every second (<see cref="ProcessFigures"/>).</summary>
    public static readonly int Process = Probability + ProbabilityBuckets + 1;

    public enum ProcessWord { ResidentBytes, HeapBytes, Gen0, Gen1, Gen2, PauseNanoseconds, AllocatedBytes, StartUnixSeconds, Count }

    /// <summary>The served model's identity as UTF-8 text, written under a sequence number (<see cref="LaneText"/>).</summary>
    /// <summary>Requests this lane's workers answered: how the kernel spread the connections.</summary>
    public static readonly int LaneRequests = Process + (int)ProcessWord.Count;

    public static readonly int ModelText = LaneRequests + 1;

    public const int ModelTextBytes = 256;

    public static readonly int End = ModelText + LaneText.Words(ModelTextBytes);

    static MetricsLayout()
    {
        if (End > MetricsSegment.AppWords)
            throw new InvalidOperationException($"the API's metrics take {End} words of a lane; it has {MetricsSegment.AppWords}");
    }
}
